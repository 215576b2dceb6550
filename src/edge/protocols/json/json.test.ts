import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../shared/errors.js';
import { loadModel } from '../../../kit/models/models.js';
import { RequestTarget } from '../../../kit/http/request-target.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import { createJsonProtocol } from './json.js';
import type { ProtocolRequest } from '../protocol.js';
import { textRecorder, thrown } from '../protocol.test-support.js';

const options = { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' };
const logs = createJsonProtocol(loadModel('logs'), options);

function request(target: string | undefined, body: string, method = 'POST'): ProtocolRequest {
  const headers: IncomingHttpHeaders = { 'content-type': 'application/x-amz-json-1.1' };
  if (target) headers['x-amz-target'] = target;
  return { method, target: new RequestTarget('/'), headers, body: Buffer.from(body) };
}

function parse(req: ProtocolRequest, protocol = logs) {
  const routed = protocol.route(req);
  return { op: routed.name, input: protocol.readInput(routed, req) };
}

describe('json protocol (logs model)', () => {
  it('routes by X-Amz-Target and reads the JSON body as the input', () => {
    const body = JSON.stringify({
      logGroupName: '/aws/lambda/f',
      logStreamName: '2026/01/01/[$LATEST]abc',
      logEvents: [{ timestamp: 1767225600000, message: 'START RequestId: x' }],
    });
    const { op, input } = parse(request('Logs_20140328.PutLogEvents', body));
    expect(op).toBe('PutLogEvents');
    expect(input).toEqual(JSON.parse(body));
  });

  it('treats an empty body as an empty input', () => {
    expect(parse(request('Logs_20140328.DescribeLogGroups', '')).input).toEqual({});
  });

  it('answers unknown or missing targets with UnknownOperationException 400', () => {
    const unknown = thrown(() => logs.route(request('Logs_20140328.Nope', '{}')));
    expect([unknown.code, unknown.status]).toEqual(['UnknownOperationException', 400]);
    expect(thrown(() => logs.route(request(undefined, '{}'))).code).toBe('UnknownOperationException');
    expect(thrown(() => logs.route(request('Logs_20140328.DescribeLogGroups', '{}', 'GET'))).code).toBe(
      'UnknownOperationException',
    );
  });

  it('answers bad JSON and wrong types with SerializationException', () => {
    const bad = thrown(() => parse(request('Logs_20140328.CreateLogGroup', '{"logGroupName":')));
    expect([bad.code, bad.status]).toEqual(['SerializationException', 400]);
    const wrongType = thrown(() => parse(request('Logs_20140328.CreateLogGroup', '{"logGroupName":5}')));
    expect(wrongType.code).toBe('SerializationException');
  });

  it('validates with AWS messages', () => {
    const err = thrown(() =>
      parse(request('Logs_20140328.PutLogEvents', '{"logGroupName":"g","logStreamName":"s","logEvents":[]}')),
    );
    expect(err.code).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const missing = thrown(() => parse(request('Logs_20140328.PutLogEvents', '{"logGroupName":"g","logStreamName":"s","logEvents":[{"message":"m"}]}')));
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'logEvents.1.member.timestamp' failed to satisfy constraint: Member must not be null",
    );
  });

  it('writes output and errors in the awsJson shape', () => {
    const { res, out } = textRecorder();
    logs.writeOutput(res, logs.route(request('Logs_20140328.DescribeLogGroups', '')), { logGroups: [{ logGroupName: 'g' }] });
    expect(out.status).toBe(200);
    expect(out.headers['Content-Type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(out.body)).toEqual({ logGroups: [{ logGroupName: 'g' }] });

    const empty = textRecorder();
    logs.writeOutput(empty.res, logs.route(request('Logs_20140328.CreateLogGroup', '')), undefined);
    expect(empty.out.body).toBe('{}');

    const failed = textRecorder();
    logs.writeError(failed.res, new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400));
    expect(failed.out.status).toBe(400);
    expect(failed.out.headers['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
    expect(JSON.parse(failed.out.body)).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('converts blobs and timestamps, and reports the old query error code for query-compatible services', () => {
    const model: ServiceModel = {
      metadata: {
        protocol: 'json',
        jsonVersion: '1.0',
        targetPrefix: 'Q',
        endpointPrefix: 'q',
        apiVersion: '1',
        awsQueryCompatible: {},
      },
      operations: { Send: { input: { shape: 'SendInput' }, output: { shape: 'SendOutput' } } },
      shapes: {
        SendInput: { type: 'structure', members: { Body: { shape: 'Data' }, At: { shape: 'Time' } } },
        SendOutput: { type: 'structure', members: { Body: { shape: 'Data' }, At: { shape: 'Time' } } },
        Data: { type: 'blob' },
        Time: { type: 'timestamp' },
      },
    };
    const q = createJsonProtocol(model, options);
    expect(parse(request('Q.Send', '{"Body":"aGk=","At":1767225600}'), q).input).toEqual({
      Body: Buffer.from('hi'),
      At: new Date(1767225600000),
    });
    const { res, out } = textRecorder();
    q.writeOutput(res, q.route(request('Q.Send', '')), { Body: Buffer.from('hi'), At: new Date(1767225600000) });
    expect(out.headers['Content-Type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(out.body)).toEqual({ Body: 'aGk=', At: 1767225600 });
    const failed = textRecorder();
    q.writeError(failed.res, new AwsError('QueueDoesNotExist', 'no queue', 400));
    expect(failed.out.headers['x-amzn-query-error']).toBe('QueueDoesNotExist;Sender');
  });
});
