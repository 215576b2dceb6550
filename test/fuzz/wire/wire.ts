/**
 * An operation's input written as the SDKs write it, in each protocol: rest-json (labels, query,
 * headers, JSON body or raw payload), awsJson (X-Amz-Target + JSON), awsQuery (form pairs,
 * `member.N`, `entry.N.key`) and rpc-v2-cbor (`/service/S/operation/O` + CBOR). Values that a
 * mutation made the wrong type are written as they are, the way a careless client would.
 */
import { encodeCbor } from '../../../src/edge/protocols/cbor/cbor-values.js';
import { memberOf, type Shape } from '../../../src/kit/models/shapes.js';
import { encodeRfc3986, isPlainObject, jsonValue, text } from './wire-values.js';
import type { FuzzOperation, WireProtocol } from '../operations.js';
import { restJson } from './wire-rest-json.js';

/** A request ready to sign and send; `path` is percent-encoded, `query` pairs are decoded. */
export interface WireRequest {
  protocol: WireProtocol;
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: Buffer;
  /** Whether the server parses this body for the operation (a rest-json body of an operation without body members is ignored). */
  parsesBody: boolean;
}

/** The input in `protocol`. */
export function encode(protocol: WireProtocol, op: FuzzOperation, input: Record<string, unknown>): WireRequest {
  const { model } = op.service;
  switch (protocol) {
    case 'rest-json':
      return restJson(op, input);
    case 'json':
      return {
        protocol,
        method: 'POST',
        path: '/',
        query: [],
        headers: { 'content-type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`, 'x-amz-target': `${model.metadata.targetPrefix}.${op.name}` },
        body: Buffer.from(JSON.stringify(jsonValue(op.input, input))),
        parsesBody: true,
      };
    case 'query': {
      const pairs: Array<[string, string]> = [['Action', op.name], ['Version', model.metadata.apiVersion]];
      flatten('', op.input, input, pairs);
      return { protocol, method: 'POST', path: '/', query: [], headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(formBody(pairs)), parsesBody: true };
    }
    case 'rpc-v2-cbor':
      return {
        protocol,
        method: 'POST',
        path: `/service/${model.metadata.targetPrefix}/operation/${op.name}`,
        query: [],
        headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
        body: Buffer.from(encodeCbor(input)),
        parsesBody: true,
      };
  }
}

/** Form pairs as an `application/x-www-form-urlencoded` body. */
export const formBody = (pairs: Array<[string, string]>): string => pairs.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`).join('&');

/** awsQuery keys: `A.B`, lists as `A.member.N`, maps as `A.entry.N.key` / `.value`. */
function flatten(prefix: string, shape: Shape | undefined, value: unknown, pairs: Array<[string, string]>): void {
  if (value === undefined || value === null) return;
  const at = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  if (Array.isArray(value)) {
    const item = shape?.type === 'list' ? shape.member! : undefined;
    const base = shape?.flattened ? prefix : at(item?.locationName ?? 'member');
    if (value.length === 0) pairs.push([prefix, '']);
    value.forEach((v, i) => flatten(`${base}.${i + 1}`, item?.shape, v, pairs));
  } else if (isPlainObject(value) && shape?.type === 'map') {
    Object.keys(value).forEach((k, i) => {
      pairs.push([`${at('entry')}.${i + 1}.${shape.key!.locationName ?? 'key'}`, k]);
      flatten(`${at('entry')}.${i + 1}.${shape.value!.locationName ?? 'value'}`, shape.value!.shape, value[k], pairs);
    });
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const member = shape?.type === 'structure' ? memberOf(shape, key) : undefined;
      flatten(at(member?.locationName ?? key), member?.shape, value[key], pairs);
    }
  } else {
    pairs.push([prefix, text(value)]);
  }
}
