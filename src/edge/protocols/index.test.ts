import { describe, expect, it } from 'vitest';
import { AwsError } from '../../shared/errors.js';
import { loadModel } from '../../kit/models/models.js';
import { RequestTarget } from '../../kit/http/request-target.js';
import { createProtocol } from './index.js';
import type { ProtocolRequest } from './protocol.js';
import { textRecorder } from './protocol.test-support.js';

const options = { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' };
const cloudwatch = createProtocol(loadModel('cloudwatch'), options);

const json: ProtocolRequest = {
  method: 'POST',
  target: new RequestTarget('/'),
  headers: { 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics', 'content-type': 'application/x-amz-json-1.0' },
  body: Buffer.from('{"Namespace":"N"}'),
};
const query: ProtocolRequest = {
  method: 'POST',
  target: new RequestTarget('/'),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: Buffer.from('Action=ListMetrics&Version=2010-08-01&Namespace=N'),
};
const cbor: ProtocolRequest = {
  method: 'POST',
  target: new RequestTarget('/service/GraniteServiceVersion20100801/operation/ListMetrics'),
  headers: { 'smithy-protocol': 'rpc-v2-cbor' },
  body: Buffer.from([0xa1, 0x69, ...Buffer.from('Namespace'), 0x61, 0x4e]),
};

describe('protocol negotiation (cloudwatch lists rpc-v2-cbor, json and query)', () => {
  it('reads each request in the protocol it was sent in', () => {
    for (const req of [json, query, cbor]) {
      const routed = cloudwatch.route(req);
      expect(routed.name).toBe('ListMetrics');
      expect(cloudwatch.readInput(routed, req)).toEqual({ Namespace: 'N' });
    }
  });

  it('answers output and errors in the request protocol', () => {
    const a = textRecorder('rid');
    cloudwatch.writeOutput(a.res, cloudwatch.route(json), { Metrics: [] });
    expect(a.out.headers['Content-Type']).toBe('application/x-amz-json-1.0');
    const b = textRecorder('rid');
    cloudwatch.writeOutput(b.res, cloudwatch.route(query), { Metrics: [] });
    expect(b.out.headers['Content-Type']).toBe('text/xml');
    const err = new AwsError('InvalidParameterValueException', 'bad', 400);
    const c = textRecorder('rid');
    cloudwatch.writeError(c.res, err, query);
    expect(c.out.body).toContain('<Code>InvalidParameterValue</Code>');
    const d = textRecorder('rid');
    cloudwatch.writeError(d.res, err, json);
    expect(d.out.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect(JSON.parse(d.out.body).__type).toBe('InvalidParameterValueException');
    const e = textRecorder('rid');
    cloudwatch.writeError(e.res, err, cbor);
    expect(e.out.headers['Content-Type']).toBe('application/cbor');
  });
});
