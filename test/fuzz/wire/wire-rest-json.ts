/**
 * An input written as rest-json, as the SDKs do it: label members into the requestUri template
 * (percent-encoded; greedy labels keep their slashes), query members as parameters (lists
 * repeated, a map's entries as parameters of their own), header members as headers, the payload
 * member as the raw body, every other member in a JSON body.
 */
import { memberOf, type Shape } from '../../../src/kit/models/shapes.js';
import type { FuzzOperation } from '../operations.js';
import type { WireRequest } from './wire.js';
import { encodeRfc3986, isPlainObject, jsonValue, setOwn, text } from './wire-values.js';

/** The input of a rest-json operation, written. */
export function restJson(op: FuzzOperation, input: Record<string, unknown>): WireRequest {
  const [template, literal] = op.http.requestUri.split('?') as [string, string | undefined];
  const query: Array<[string, string]> = (literal ?? '').split('&').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
  const headers: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  let payload: Buffer | undefined;
  let hasBody = false;
  const labels = new Map<string, string>();
  const shape = op.input;
  for (const key of Object.keys(input)) {
    const value = input[key];
    const member = shape ? memberOf(shape, key) : undefined;
    const where = member?.locationName ?? key;
    if (value === undefined) continue;
    if (member?.location === 'uri') labels.set(where, text(value));
    else if (member?.location === 'querystring') restQuery(member.shape, where, value, query);
    else if (member?.location === 'header') headers[where.toLowerCase()] = headerText(Array.isArray(value) ? value.map(text).join(', ') : text(value));
    else if (member?.location === 'headers' && isPlainObject(value)) for (const k of Object.keys(value)) headers[`${where}${k}`.toLowerCase()] = headerText(text(value[k]));
    else if (member && member.name === shape?.payload) {
      payload = value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(typeof value === 'string' ? value : JSON.stringify(jsonValue(member.shape, value)));
      if (member.shape.type === 'structure') headers['content-type'] = 'application/json';
    } else {
      setOwn(body, key, value);
      hasBody = true;
    }
  }
  const path = template.replace(/\{([^}]+?)(\+?)\}/g, (_m, name: string, greedy: string) => {
    const value = labels.get(name) ?? '';
    return greedy ? value.split('/').map(encodeRfc3986).join('/') : encodeRfc3986(value);
  });
  if (payload === undefined && hasBody) {
    payload = Buffer.from(JSON.stringify(jsonValue(shape, body)));
    headers['content-type'] = 'application/json';
  }
  return { protocol: 'rest-json', method: op.http.method, path, query, headers, body: payload ?? Buffer.alloc(0), parsesBody: parsesJson(shape) && headers['content-type'] === 'application/json' };
}

function restQuery(shape: Shape, key: string, value: unknown, query: Array<[string, string]>): void {
  if (Array.isArray(value)) for (const v of value) query.push([key, text(v)]);
  else if (shape.type === 'map' && isPlainObject(value)) for (const k of Object.keys(value)) query.push([k, text(value[k])]);
  else query.push([key, text(value)]);
}

/** Whether a rest-json operation reads a JSON body: it has members bound to none of URI, query or headers, and no raw payload. */
function parsesJson(shape: Shape | undefined): boolean {
  if (!shape) return false;
  const payload = shape.payload === undefined ? undefined : memberOf(shape, shape.payload);
  if (payload) return payload.shape.type === 'structure';
  return Object.values(shape.members).some((m) => m.location === undefined);
}

/** Header values are printable ASCII on the wire; anything else would fail in our own client. */
const headerText = (value: string): string => value.replace(/[^\x20-\x7e]/g, '?');
