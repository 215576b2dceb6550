import type { ServerResponse } from 'node:http';
import { decode, encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../shared/errors.js';
import { loadModel } from '../../../kit/models/models.js';
import { RequestTarget } from '../../../kit/http/request-target.js';
import { encodeCbor } from './cbor-values.js';
import type { ProtocolRequest } from '../protocol.js';
import { createRpcV2CborProtocol, isRpcV2CborRequest } from './rpc-v2-cbor.js';

const options = { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' };
const cloudwatch = createRpcV2CborProtocol(loadModel('cloudwatch'), options);
const PATH = '/service/GraniteServiceVersion20100801/operation/';

function request(op: string, body: Uint8Array | Buffer = Buffer.alloc(0)): ProtocolRequest {
  return {
    method: 'POST',
    target: new RequestTarget(PATH + op),
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
    body: Buffer.from(body),
  };
}

function recorder() {
  const out = { status: 0, headers: {} as Record<string, string>, body: Buffer.alloc(0) as Buffer };
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(body: Buffer) {
      out.body = body;
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected an error');
}

/** Tag-1 timestamps decoded as [seconds] for assertions. */
const tags = { 1: (content: () => unknown) => ({ epochSeconds: content() }) } as never;

describe('rpc-v2-cbor protocol (cloudwatch model)', () => {
  it('routes by path and reads tag-1 timestamps as Dates', () => {
    const body = encodeCbor({
      Namespace: 'N',
      MetricData: [{ MetricName: 'm', Value: 1.5, Timestamp: new Date(1767225600500), Dimensions: [{ Name: 'd', Value: 'v' }] }],
    });
    const req = request('PutMetricData', body);
    expect(isRpcV2CborRequest(req)).toBe(true);
    const routed = cloudwatch.route(req);
    expect(routed.name).toBe('PutMetricData');
    expect(cloudwatch.readInput(routed, req)).toEqual({
      Namespace: 'N',
      MetricData: [{ MetricName: 'm', Value: 1.5, Timestamp: new Date(1767225600500), Dimensions: [{ Name: 'd', Value: 'v' }] }],
    });
  });

  it('writes outputs as CBOR maps, timestamps as tag 1 whatever form the handler gave', () => {
    const { res, out } = recorder();
    cloudwatch.writeOutput(res, cloudwatch.route(request('GetMetricData')), {
      MetricDataResults: [{ Id: 'a', Timestamps: [new Date(60_000), 120, '1970-01-01T00:03:00Z'], Values: [1, 2.5, 3], StatusCode: 'Complete' }],
      NextToken: undefined,
    });
    expect(out.headers['Content-Type']).toBe('application/cbor');
    expect(out.headers['smithy-protocol']).toBe('rpc-v2-cbor');
    expect(decode(out.body, { tags })).toEqual({
      MetricDataResults: [
        {
          Id: 'a',
          Timestamps: [{ epochSeconds: 60 }, { epochSeconds: 120 }, { epochSeconds: 180 }],
          Values: [1, 2.5, 3],
          StatusCode: 'Complete',
        },
      ],
    });
  });

  it('writes errors with __type and the query-compatible header', () => {
    const { res, out } = recorder();
    cloudwatch.writeError(res, new AwsError('InvalidParameterValueException', 'bad', 400));
    expect(out.status).toBe(400);
    expect(out.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect(decode(out.body)).toEqual({ __type: 'InvalidParameterValueException', message: 'bad' });
  });

  it('rejects unknown operations, malformed CBOR, non-maps and wrong types', () => {
    expect(thrown(() => cloudwatch.route(request('Nope'))).code).toBe('UnknownOperationException');
    const ops = cloudwatch.route(request('ListMetrics'));
    expect(thrown(() => cloudwatch.readInput(ops, request('ListMetrics', Buffer.from([0xff, 0x00])))).code).toBe('SerializationException');
    expect(thrown(() => cloudwatch.readInput(ops, request('ListMetrics', encode([1])))).message).toContain('expected a map');
    expect(thrown(() => cloudwatch.readInput(ops, request('ListMetrics', encode({ Namespace: 5 })))).code).toBe('SerializationException');
    expect(cloudwatch.readInput(ops, request('ListMetrics'))).toEqual({});
  });

  it.each([
    ['/service/GraniteServiceVersion20100801/operation/ListMetrics', 'ListMetrics'],
    ['/v1/service/GraniteServiceVersion20100801/operation/ListMetrics', 'ListMetrics'],
    ['/service/com.amazonaws.cloudwatch.GraniteServiceVersion20100801/operation/ListMetrics', 'ListMetrics'],
    ['/service/Logs_20140328/operation/ListMetrics', 'UnknownOperationException 404 The service Logs_20140328 is not served here (this endpoint serves GraniteServiceVersion20100801).'],
    ['/service/xGraniteServiceVersion20100801/operation/ListMetrics', 'UnknownOperationException 404'],
    ['/service/com..GraniteServiceVersion20100801/operation/ListMetrics', 'UnknownOperationException 404'],
    ['/service/GraniteServiceVersion20100801/operation/com.amazonaws.cloudwatch.ListMetrics', 'UnknownOperationException 404'],
    ['/service/GraniteServiceVersion20100801/operation/%E0%A4%A', 'UnknownOperationException 404'],
    ['/service/%E0%A4%A/operation/ListMetrics', 'UnknownOperationException 404'],
  ])('routes %s by its last four segments and the service name: %s', (path, expected) => {
    const req = { ...request('ListMetrics'), target: new RequestTarget(path) };
    if (!expected.includes(' ')) return void expect(cloudwatch.route(req).name).toBe(expected);
    const err = thrown(() => cloudwatch.route(req));
    expect(`${err.code} ${err.status} ${err.message}`.startsWith(expected)).toBe(true);
  });

  it.each(['x-amz-target', 'x-amzn-target'])('refuses a request carrying %s, as the spec requires', (header) => {
    const req = request('ListMetrics');
    const err = thrown(() => cloudwatch.route({ ...req, headers: { ...req.headers, [header]: 'GraniteServiceVersion20100801.ListMetrics' } }));
    expect([err.code, err.status]).toEqual(['SerializationException', 400]);
  });
});
