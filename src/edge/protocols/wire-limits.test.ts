import type { IncomingHttpHeaders } from 'node:http';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../kit/models/models.js';
import { RequestTarget } from '../../kit/http/request-target.js';
import { encodeCbor } from './cbor/cbor-values.js';
import { createJsonProtocol } from './json/json.js';
import type { ProtocolRequest } from './protocol.js';
import { thrown } from './protocol.test-support.js';
import { createQueryProtocol } from './query/query.js';
import { createRestJsonProtocol } from './json/rest-json.js';
import { createRpcV2CborProtocol } from './cbor/rpc-v2-cbor.js';
import { cborExcess, formExcess, jsonExcess, MAX_RPC_BODY_BYTES, MAX_WIRE_DEPTH, MAX_WIRE_VALUES } from './wire-limits.js';

const DEEP = `more than ${MAX_WIRE_DEPTH} levels of nesting`;
const MANY = `more than ${MAX_WIRE_VALUES} values`;
const json = (text: string) => jsonExcess(Buffer.from(text));

describe('jsonExcess', () => {
  it.each([
    ['an ordinary input', '{"logGroupName":"g","tags":{"a":"b"},"logEvents":[{"timestamp":1,"message":"m"}]}', undefined],
    [`${MAX_WIRE_DEPTH} levels`, '['.repeat(MAX_WIRE_DEPTH) + ']'.repeat(MAX_WIRE_DEPTH), undefined],
    [`${MAX_WIRE_DEPTH + 1} levels`, '['.repeat(MAX_WIRE_DEPTH + 1) + ']'.repeat(MAX_WIRE_DEPTH + 1), DEEP],
    ['a million levels', '['.repeat(1_000_000), DEEP],
    ['brackets, commas and escaped quotes inside strings', JSON.stringify({ s: '[{,'.repeat(MAX_WIRE_VALUES) + '\\"[' }), undefined],
    [`${MAX_WIRE_VALUES} values`, `[${'0,'.repeat(MAX_WIRE_VALUES - 2)}0]`, undefined],
    ['five million objects in 15 MB', `[${'{},'.repeat(5_000_000)}{}]`, MANY],
  ])('%s', (_what, body, excess) => {
    expect(json(body)).toBe(excess);
  });

  it('skips a zip of 67 MB of base64 in one jump', () => {
    const body = Buffer.from(`{"Code":{"ZipFile":"${'QUJD'.repeat(67_000_000 / 4)}"}}`);
    const started = Date.now();
    expect(jsonExcess(body)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('cborExcess', () => {
  const nested = (levels: number) => Buffer.concat([Buffer.alloc(levels, 0x81), Buffer.from([0x00])]);
  it.each([
    ['an ordinary input', encodeCbor({ Namespace: 'N', MetricData: [{ MetricName: 'm', Values: [1, 2.5], Timestamp: new Date(0) }] }), undefined],
    [`${MAX_WIRE_DEPTH} levels`, nested(MAX_WIRE_DEPTH), undefined],
    [`${MAX_WIRE_DEPTH + 1} levels`, nested(MAX_WIRE_DEPTH + 1), DEEP],
    ['siblings, not depth', encode(Array.from({ length: 1000 }, () => [[[1]]])), undefined],
    ['indefinite arrays and strings closed by breaks', Buffer.from([0x9f, 0x7f, 0x61, 0x61, 0xff, 0x9f, 0x01, 0xff, 0xff]), undefined],
    ['indefinite levels past the depth', Buffer.alloc(MAX_WIRE_DEPTH + 1, 0x9f), DEEP],
    ['five million empty maps in 5 MB', Buffer.concat([Buffer.from([0x9a, 0x00, 0x4c, 0x4b, 0x40]), Buffer.alloc(5_000_000, 0xa0)]), MANY],
    ['a header claiming 2^32 items', Buffer.from([0x9b, 0, 0, 0, 1, 0, 0, 0, 0]), undefined],
  ])('%s', (_what, body, excess) => {
    expect(cborExcess(body)).toBe(excess);
  });
});

describe('formExcess', () => {
  it.each([
    ['an ordinary form', 'Action=ListMetrics&Namespace=N', undefined],
    ['a million pairs', 'a&'.repeat(1_000_000), `more than ${MAX_WIRE_VALUES} parameters`],
  ])('%s', (_what, body, excess) => {
    expect(formExcess(Buffer.from(body))).toBe(excess);
  });
});

describe('the protocols refuse such bodies before decoding them', () => {
  const options = { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' };
  const many = `[${'{},'.repeat(MAX_WIRE_VALUES)}{}]`;
  it.each([
    ['json', () => createJsonProtocol(loadModel('logs'), options), req('POST', '/', `{"logGroupName":"g","x":${many}}`, { 'x-amz-target': 'Logs_20140328.CreateLogGroup' })],
    ['rest-json', () => createRestJsonProtocol(loadModel('lambda'), options), req('POST', '/2015-03-31/functions', `{"FunctionName":"f","x":${many}}`)],
    ['rpc-v2-cbor', () => createRpcV2CborProtocol(loadModel('cloudwatch'), options), req('POST', '/service/GraniteServiceVersion20100801/operation/ListMetrics', Buffer.concat([Buffer.from([0xa1, 0x61, 0x78, 0x9a, 0x00, 0x07, 0xa1, 0x21]), Buffer.alloc(500_001, 0xa0)]), { 'smithy-protocol': 'rpc-v2-cbor' })],
    ['query', () => createQueryProtocol(loadModel('cloudwatch'), options), req('POST', '/', `Action=ListMetrics&${'a&'.repeat(MAX_WIRE_VALUES)}`, { 'content-type': 'application/x-www-form-urlencoded' })],
  ])('%s', (_protocol, create, request) => {
    const protocol = create();
    const err = thrown(() => protocol.readInput(protocol.route(request), request));
    expect([err.code, err.status]).toEqual(['SerializationException', 400]);
    expect(err.message).toMatch(/holds more than/);
  });

  it.each([
    ['json', () => createJsonProtocol(loadModel('logs'), options), { 'x-amz-target': 'Logs_20140328.CreateLogGroup' }, '/'],
    ['rpc-v2-cbor', () => createRpcV2CborProtocol(loadModel('cloudwatch'), options), { 'smithy-protocol': 'rpc-v2-cbor' }, '/service/GraniteServiceVersion20100801/operation/ListMetrics'],
    ['query', () => createQueryProtocol(loadModel('cloudwatch'), options), { 'content-type': 'application/x-www-form-urlencoded' }, '/'],
  ])('%s refuses a body over MAX_RPC_BODY_BYTES with 413 before reading it', (_protocol, create, headers, path) => {
    const protocol = create();
    const request = req('POST', path, Buffer.alloc(MAX_RPC_BODY_BYTES + 1, 0x20), headers);
    const err = thrown(() => protocol.readInput(protocol.route(request), request));
    expect([err.code, err.status]).toEqual(['RequestEntityTooLargeException', 413]);
  });

  it('reads a blob that is not base64 as a wrong type, not as an empty zip', () => {
    const lambda = createRestJsonProtocol(loadModel('lambda'), { ...options, serializationErrorCode: 'InvalidRequestContentException' });
    const request = req('POST', '/2015-03-31/functions', '{"FunctionName":"f","Role":"arn:aws:iam::000000000000:role/r","Code":{"ZipFile":"!!!"}}');
    const err = thrown(() => lambda.readInput(lambda.route(request), request));
    expect([err.code, err.message]).toEqual(['InvalidRequestContentException', "Could not parse request body into json: expected blob at 'code.zipFile'"]);
  });
});

function req(method: string, url: string, body: string | Buffer, headers: IncomingHttpHeaders = {}): ProtocolRequest {
  return { method, target: new RequestTarget(url), headers, body: Buffer.from(body) };
}
