import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../shared/errors.js';
import { LambdaErrors } from '../../../lambda/lambda-errors.js';
import { loadModel } from '../../../kit/models/models.js';
import { RequestTarget } from '../../../kit/http/request-target.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import type { ProtocolRequest } from '../protocol.js';
import { thrown } from '../protocol.test-support.js';
import { createRestJsonProtocol } from './rest-json.js';

const options = { serializationErrorCode: 'InvalidRequestContentException', payloadContentType: 'application/json' };
const lambda = createRestJsonProtocol(loadModel('lambda'), options);

function request(method: string, url: string, body: string | Buffer = '', headers: IncomingHttpHeaders = {}): ProtocolRequest {
  return { method, target: new RequestTarget(url), headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

function parse(req: ProtocolRequest, protocol = lambda) {
  const routed = protocol.route(req);
  return { op: routed.name, input: protocol.readInput(routed, req) };
}

/** A ServerResponse stand-in that records what the protocol writes. */
function recorder() {
  const out = { status: 0, headers: {} as Record<string, string>, body: Buffer.alloc(0) };
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(body: Buffer | string) {
      out.body = Buffer.from(body);
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

function write(method: string, url: string, output: unknown, protocol = lambda) {
  const { res, out } = recorder();
  protocol.writeOutput(res, protocol.route(request(method, url)), output);
  return out;
}

describe('rest-json routing (lambda model)', () => {
  it('routes by method and requestUri template', () => {
    const cases: Array<[string, string, string]> = [
      ['POST', '/2015-03-31/functions', 'CreateFunction'],
      ['GET', '/2015-03-31/functions', 'ListFunctions'],
      ['GET', '/2015-03-31/functions/', 'ListFunctions'],
      ['GET', '/2015-03-31/functions/f', 'GetFunction'],
      ['DELETE', '/2015-03-31/functions/f', 'DeleteFunction'],
      ['GET', '/2015-03-31/functions/f/versions', 'ListVersionsByFunction'],
      ['POST', '/2015-03-31/functions/f/versions', 'PublishVersion'],
      ['POST', '/2015-03-31/functions/f/invocations', 'Invoke'],
      ['GET', '/2018-10-31/layers', 'ListLayers'],
      ['GET', '/2018-10-31/layers?find=LayerVersion&Arn=x', 'GetLayerVersionByArn'],
      ['GET', '/2019-09-30/functions/f/provisioned-concurrency?List=ALL', 'ListProvisionedConcurrencyConfigs'],
      ['GET', '/2019-09-30/functions/f/provisioned-concurrency?Qualifier=1', 'GetProvisionedConcurrencyConfig'],
      ['DELETE', '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af?tagKeys=a', 'UntagResource'],
    ];
    for (const [method, url, op] of cases) expect(lambda.route(request(method, url)).name, `${method} ${url}`).toBe(op);
  });

  it('answers unknown paths with UnknownOperationException 404', () => {
    const err = thrown(() => lambda.route(request('GET', '/2015-03-31/nope')));
    expect([err.code, err.status]).toEqual(['UnknownOperationException', 404]);
  });
});

describe('rest-json input (lambda model)', () => {
  it('reads CreateFunction from the JSON body, blobs as Buffers', () => {
    const zip = Buffer.from([0x50, 0x4b, 3, 4, 0xff, 0]);
    const body = JSON.stringify({
      FunctionName: 'f',
      Role: 'arn:aws:iam::000000000000:role/r',
      Code: { ZipFile: zip.toString('base64') },
      Environment: { Variables: { AB: '1' } },
      MemorySize: 512,
    });
    const { op, input } = parse(request('POST', '/2015-03-31/functions', body));
    expect(op).toBe('CreateFunction');
    expect(Buffer.isBuffer(input.Code && (input.Code as any).ZipFile)).toBe(true);
    expect((input.Code as any).ZipFile.equals(zip)).toBe(true);
    expect(input).toMatchObject({ FunctionName: 'f', MemorySize: 512, Environment: { Variables: { AB: '1' } } });
  });

  it('reads Invoke: label decoded, raw payload, headers and qualifier', () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
    const payload = Buffer.from('{"not":"parsed"}');
    const { input } = parse(
      request('POST', `/2015-03-31/functions/${encodeURIComponent(arn)}/invocations?Qualifier=%24LATEST`, payload, {
        'x-amz-invocation-type': 'Event',
        'x-amz-log-type': 'Tail',
        'x-amz-client-context': 'e30=',
      }),
    );
    expect(input).toEqual({
      FunctionName: arn,
      Payload: payload,
      Qualifier: '$LATEST',
      InvocationType: 'Event',
      LogType: 'Tail',
      ClientContext: 'e30=',
    });
    expect(input.Payload).toBe(payload); // the body itself, not a copy
  });

  it('leaves an empty Invoke payload out', () => {
    expect(parse(request('POST', '/2015-03-31/functions/f/invocations')).input).toEqual({ FunctionName: 'f' });
  });

  it('reads ListFunctions querystring members with their types', () => {
    const { input } = parse(request('GET', '/2015-03-31/functions?Marker=a%2Fb%20c&MaxItems=50&FunctionVersion=ALL'));
    expect(input).toEqual({ Marker: 'a/b c', MaxItems: 50, FunctionVersion: 'ALL' });
  });

  it('reads list querystring members from repeated keys', () => {
    const { input } = parse(request('DELETE', '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af?tagKeys=a&tagKeys=b'));
    expect(input).toEqual({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', TagKeys: ['a', 'b'] });
  });

  it('rejects malformed query values, bodies and labels with the service serialization code', () => {
    const badInt = thrown(() => parse(request('GET', '/2015-03-31/functions?MaxItems=ten')));
    expect([badInt.code, badInt.status]).toEqual(['InvalidRequestContentException', 400]);
    const badJson = thrown(() => parse(request('POST', '/2015-03-31/functions', '{"FunctionName": f}')));
    expect(badJson.code).toBe('InvalidRequestContentException');
    expect(badJson.message).toMatch(/^Could not parse request body into json: /);
    const notObject = thrown(() => parse(request('POST', '/2015-03-31/functions', '[1]')));
    expect(notObject.code).toBe('InvalidRequestContentException');
    const badLabel = thrown(() => lambda.route(request('GET', '/2015-03-31/functions/%ZZ')));
    expect(badLabel.code).toBe('InvalidRequestContentException');
  });

  it('validates after parsing: querystring ranges and body constraints', () => {
    const err = thrown(() => parse(request('GET', '/2015-03-31/functions?MaxItems=0')));
    expect(err.code).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('never takes bound members from the body', () => {
    const { input } = parse(request('PUT', '/2015-03-31/functions/real/configuration', '{"FunctionName":"fake","Timeout":3}'));
    expect(input).toEqual({ FunctionName: 'real', Timeout: 3 });
  });
});

describe('rest-json output (lambda model)', () => {
  it('writes Invoke: status from StatusCode, header members, raw payload', () => {
    const out = write('POST', '/2015-03-31/functions/f/invocations', {
      StatusCode: 202,
      FunctionError: undefined,
      LogResult: 'bG9n',
      ExecutedVersion: '$LATEST',
      Payload: Buffer.from('{"ok":true}'),
    });
    expect(out.status).toBe(202);
    expect(out.headers).toMatchObject({
      'X-Amz-Log-Result': 'bG9n',
      'X-Amz-Executed-Version': '$LATEST',
      'Content-Type': 'application/json',
    });
    expect(out.headers).not.toHaveProperty('X-Amz-Function-Error');
    expect(out.body.toString()).toBe('{"ok":true}');
    expect(out.headers['Content-Length']).toBe(String(out.body.length));
  });

  it("writes JSON bodies with the operation's responseCode, timestamps as epoch seconds", () => {
    const created = write('POST', '/2015-03-31/functions', { FunctionName: 'f', LastModified: '2026-01-01T00:00:00.000+0000' });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body.toString())).toEqual({ FunctionName: 'f', LastModified: '2026-01-01T00:00:00.000+0000' });
    const esm = write('GET', '/2015-03-31/event-source-mappings/u', { UUID: 'u', LastModified: new Date(1767225600500) });
    expect(JSON.parse(esm.body.toString())).toEqual({ UUID: 'u', LastModified: 1767225600.5 });
  });

  it('writes no body for 204 operations', () => {
    const out = write('DELETE', '/2015-03-31/functions/f/aliases/a', undefined);
    expect(out.status).toBe(204);
    expect(out.body.length).toBe(0);
  });

  it('writes an event stream operation’s answer without its stream as an ordinary answer', () => {
    // With its stream, the answer is written as events come (event-stream-writer.ts, edge.test.ts).
    const url = '/2021-11-15/functions/f/response-streaming-invocations';
    const dryRun = write('POST', url, { StatusCode: 204 });
    expect(dryRun.status).toBe(204);
    expect(dryRun.body.length).toBe(0);
  });

  it('writes errors as Lambda does: x-amzn-ErrorType, Type and message', () => {
    const { res, out } = recorder();
    lambda.writeError(res, LambdaErrors.notFound('Function not found: arn:aws:lambda:us-east-1:000000000000:function:f'));
    expect(out.status).toBe(404);
    expect(out.headers['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
    expect(JSON.parse(out.body.toString())).toEqual({
      Type: 'User',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:f',
    });
    const throttled = recorder();
    lambda.writeError(
      throttled.res,
      new AwsError('TooManyRequestsException', 'Rate exceeded', 429, { Type: 'User', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }, { 'Retry-After': '1' }),
    );
    expect(throttled.out.headers['Retry-After']).toBe('1');
    expect(JSON.parse(throttled.out.body.toString())).toMatchObject({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });
});

describe('rest-json with greedy labels, header maps and structure payloads', () => {
  const model: ServiceModel = {
    metadata: { protocol: 'rest-json', endpointPrefix: 'files', apiVersion: '2020-01-01' },
    operations: {
      PutFile: {
        http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}', responseCode: 200 },
        input: { shape: 'PutFileRequest' },
        output: { shape: 'PutFileResponse' },
      },
      PutSettings: {
        http: { method: 'PUT', requestUri: '/{Bucket}?settings' },
        input: { shape: 'PutSettingsRequest' },
      },
      ListFiles: {
        http: { method: 'GET', requestUri: '/{Bucket}' },
        input: { shape: 'ListFilesRequest' },
      },
    },
    shapes: {
      PutFileRequest: {
        type: 'structure',
        required: ['Bucket', 'Key'],
        members: {
          Bucket: { shape: 'Name', location: 'uri', locationName: 'Bucket' },
          Key: { shape: 'Name', location: 'uri', locationName: 'Key' },
          Meta: { shape: 'Meta', location: 'headers', locationName: 'x-meta-' },
          Modified: { shape: 'Time', location: 'header', locationName: 'If-Modified-Since' },
          Body: { shape: 'Data' },
        },
        payload: 'Body',
      },
      PutFileResponse: {
        type: 'structure',
        members: {
          ETag: { shape: 'Name', location: 'header', locationName: 'ETag' },
          Meta: { shape: 'Meta', location: 'headers', locationName: 'x-meta-' },
          Created: { shape: 'Time', location: 'header', locationName: 'Last-Modified' },
        },
      },
      PutSettingsRequest: {
        type: 'structure',
        members: { Bucket: { shape: 'Name', location: 'uri', locationName: 'Bucket' }, Settings: { shape: 'Settings' } },
        payload: 'Settings',
      },
      ListFilesRequest: {
        type: 'structure',
        members: {
          Bucket: { shape: 'Name', location: 'uri', locationName: 'Bucket' },
          Prefix: { shape: 'Name', location: 'querystring', locationName: 'prefix' },
          Params: { shape: 'Params', location: 'querystring' },
        },
      },
      Params: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Names' } },
      Names: { type: 'list', member: { shape: 'Name' } },
      Settings: { type: 'structure', members: { Stamp: { shape: 'Time' }, Raw: { shape: 'Data' } } },
      Name: { type: 'string', min: 1 },
      Meta: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Name' } },
      Time: { type: 'timestamp' },
      Data: { type: 'blob' },
    },
  };
  const files = createRestJsonProtocol(model, { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' });

  it('reads a greedy label, prefixed header maps and an rfc822 header timestamp', () => {
    const { op, input } = parse(
      request('PUT', '/b/dir/sub%20dir/file.txt', 'bytes', {
        'x-meta-color': 'blue',
        'x-meta-size': 'L',
        'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT',
      }),
      files,
    );
    expect(op).toBe('PutFile');
    expect(input).toEqual({
      Bucket: 'b',
      Key: 'dir/sub dir/file.txt',
      Body: Buffer.from('bytes'),
      Meta: { color: 'blue', size: 'L' },
      Modified: new Date(Date.UTC(2026, 0, 1)),
    });
  });

  it('reads a structure payload as converted JSON', () => {
    const { op, input } = parse(request('PUT', '/b?settings', '{"Stamp":1767225600,"Raw":"AQI="}'), files);
    expect(op).toBe('PutSettings');
    expect(input).toEqual({ Bucket: 'b', Settings: { Stamp: new Date(1767225600000), Raw: Buffer.from([1, 2]) } });
  });

  it('collects unclaimed query parameters into a map-typed querystring member', () => {
    const { op, input } = parse(request('GET', '/b?prefix=p&x=1&y=2&x=3'), files);
    expect(op).toBe('ListFiles');
    expect(input).toEqual({ Bucket: 'b', Prefix: 'p', Params: { x: ['1', '3'], y: ['2'] } });
  });

  it('writes header members, header maps and timestamps in rfc822', () => {
    const out = write('PUT', '/b/k', { ETag: '"abc"', Meta: { color: 'red' }, Created: new Date(Date.UTC(2026, 0, 1)) }, files);
    expect(out.headers).toMatchObject({ ETag: '"abc"', 'x-meta-color': 'red', 'Last-Modified': 'Thu, 01 Jan 2026 00:00:00 GMT' });
  });
});
