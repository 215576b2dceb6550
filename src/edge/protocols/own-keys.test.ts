/**
 * Keys named like Object.prototype's properties, in every protocol: as unknown members, inside
 * structures, and as keys of user-keyed maps. Each must read as plain data (an unknown member is
 * ignored or passed on, a map key is a key) and never reach an inherited function; a bad request
 * around them is still a 4xx AwsError, never a TypeError (the 500s the fuzzer found).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../shared/errors.js';
import { loadModel } from '../../kit/models/models.js';
import { RequestTarget } from '../../kit/http/request-target.js';
import type { ServiceModel } from '../../kit/service-definition.js';
import { encodeCbor } from './cbor/cbor-values.js';
import { createJsonProtocol } from './json/json.js';
import type { Protocol, ProtocolRequest } from './protocol.js';
import { thrown } from './protocol.test-support.js';
import { createQueryProtocol } from './query/query.js';
import { createRestJsonProtocol } from './json/rest-json.js';
import { createRpcV2CborProtocol } from './cbor/rpc-v2-cbor.js';

const NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__', '__defineGetter__', 'toLocaleString'];
const options = { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' };
const cbor = createRpcV2CborProtocol(loadModel('cloudwatch'), options);
const cloudwatchJson = createJsonProtocol(loadModel('cloudwatch'), options);
const logs = createJsonProtocol(loadModel('logs'), options);
const query = createQueryProtocol(loadModel('cloudwatch'), options);
const lambda = createRestJsonProtocol(loadModel('lambda'), { ...options, serializationErrorCode: 'InvalidRequestContentException' });

function req(method: string, url: string, body: string | Uint8Array = '', headers: IncomingHttpHeaders = {}): ProtocolRequest {
  return { method, target: new RequestTarget(url), headers, body: Buffer.from(body) };
}

function read(protocol: Protocol, request: ProtocolRequest): Record<string, unknown> {
  return protocol.readInput(protocol.route(request), request);
}

const cborReq = (op: string, value: unknown) =>
  req('POST', `/service/GraniteServiceVersion20100801/operation/${op}`, encodeCbor(value), { 'smithy-protocol': 'rpc-v2-cbor' });
const jsonReq = (target: string, value: unknown) => req('POST', '/', JSON.stringify(value), { 'x-amz-target': target });
/** An object with `key` as an own member, `__proto__` included (a literal would set the prototype). */
const withKey = (base: Record<string, unknown>, key: string, value: unknown) => Object.defineProperty({ ...base }, key, { value, enumerable: true, writable: true, configurable: true });

const datum = { MetricName: 'm', Value: 1, Timestamp: new Date(60_000) };

describe.each(NAMES)('a key named %s', (name) => {
  it('rpc-v2-cbor: is an unknown member at the top, in a list item, and harmless in a bad request', () => {
    const input = read(cbor, cborReq('PutMetricData', withKey({ Namespace: 'N', MetricData: [withKey(datum, name, 1)] }, name, 'x')));
    expect(input.Namespace).toBe('N');
    expect((input.MetricData as object[])[0]).toMatchObject(datum);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    const bad = thrown(() => read(cbor, cborReq('PutMetricData', withKey({ MetricData: [withKey(datum, name, 1)] }, name, 'x'))));
    expect(bad).toBeInstanceOf(AwsError);
    expect([bad.code, bad.status]).toEqual(['ValidationException', 400]);
  });

  it('json: is a key of a user-keyed map (logs tags) and an unknown member where values are converted', () => {
    const input = read(logs, jsonReq('Logs_20140328.CreateLogGroup', JSON.parse(`{"logGroupName":"g","tags":{"${name}":"v"}}`)));
    expect(Object.hasOwn(input.tags as object, name)).toBe(true);
    expect((input.tags as Record<string, unknown>)[name]).toBe('v');
    const converted = read(cloudwatchJson, jsonReq('GraniteServiceVersion20100801.PutMetricData', withKey({ Namespace: 'N', MetricData: [withKey({ ...datum, Timestamp: 60 }, name, 1)] }, name, 2)));
    expect((converted.MetricData as object[])[0]).toMatchObject(datum);
    const bad = thrown(() => read(logs, jsonReq('Logs_20140328.CreateLogGroup', JSON.parse(`{"${name}":1,"tags":{"${name}":5}}`))));
    expect(bad).toBeInstanceOf(AwsError);
    expect(bad.status).toBe(400);
  });

  it('query: is an unknown parameter, at the top and below a list item', () => {
    const body = `Action=PutMetricData&Namespace=N&MetricData.member.1.MetricName=m&MetricData.member.1.Value=1&${name}=1&MetricData.member.1.${name}=2`;
    const input = read(query, req('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(input).toEqual({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 1 }] });
  });

  it('rest-json: is an unknown body member, a tag key and an unknown query parameter', () => {
    const body = `{"FunctionName":"f","Role":"arn:aws:iam::000000000000:role/r","Code":{"ZipFile":"UEs="},"${name}":1,"Tags":{"${name}":"v"}}`;
    const input = read(lambda, req('POST', '/2015-03-31/functions', body));
    const tags = input.Tags as Record<string, unknown>;
    expect(Object.hasOwn(tags, name)).toBe(true);
    expect(tags[name]).toBe('v');
    expect(read(lambda, req('GET', `/2015-03-31/functions?${name}=1&MaxItems=5`))).toEqual({ MaxItems: 5 });
  });

  it('rest-json: is a key of querystring and header maps, repeated values collected (`__proto__` dropped)', () => {
    const input = read(maps, req('GET', `/things?${name}=a&${name}=b&k=c`, '', { [`x-meta-${name}`]: 'h', 'x-meta-k': 'd' }));
    const expected = (value: unknown, other: unknown) => (name === '__proto__' ? { k: other } : withKey({ k: other }, name, value));
    expect(input).toEqual({ Query: expected(['a', 'b'], ['c']), Meta: expected('h', 'd') });
    expect(Object.getPrototypeOf(input.Query)).toBe(Object.prototype);
  });
});

/** A rest-json model with the two map bindings Lambda lacks: a querystring map and a header map. */
const MAPS_MODEL: ServiceModel = {
  metadata: { protocol: 'rest-json', endpointPrefix: 'things', apiVersion: '2020-01-01' },
  operations: { ListThings: { http: { method: 'GET', requestUri: '/things' }, input: { shape: 'ListThingsRequest' } } },
  shapes: {
    ListThingsRequest: {
      type: 'structure',
      members: {
        Query: { shape: 'QueryMap', location: 'querystring' },
        Meta: { shape: 'HeaderMap', location: 'headers', locationName: 'x-meta-' },
      },
    },
    QueryMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'StringList' } },
    HeaderMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
    StringList: { type: 'list', member: { shape: 'String' } },
    String: { type: 'string' },
  },
};
const maps = createRestJsonProtocol(MAPS_MODEL, options);
