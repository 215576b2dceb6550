/**
 * The edge behind a real node:http server, driven by the real AWS SDK v3 clients (and the aws CLI
 * when it is installed): signatures, routing, (de)serialization and error shapes as clients see them.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../shared/errors.js';
import { LambdaErrors } from '../lambda/lambda-errors.js';
import { silentLogger } from '../shared/logger.js';
import { createEdge } from './edge.js';
import { until } from '../../test/support/wait.js';
import { loadModel } from '../kit/models/models.js';
import { Readable } from 'node:stream';
import { InvokeWithResponseStreamCommand } from '@aws-sdk/client-lambda';
import type { AuthorizationRequest } from '../kit/authorization.js';
import type { OperationContext, ServiceDefinition } from '../kit/service-definition.js';

const AKID = 'AKIDNIMBUSTEST';
const SECRET = 'nimbus-test-secret';
const calls: Array<{ op: string; input: any; ctx: OperationContext }> = [];
const authorizations: AuthorizationRequest[] = [];
/** Resources of the ListTags calls whose client went away while the handler waited. */
const hungUp: string[] = [];

const lambda: ServiceDefinition = {
  signingName: 'lambda',
  model: loadModel('lambda'),
  serializationErrorCode: 'InvalidRequestContentException',
  payloadContentType: 'application/json',
  access: {
    operations: {
      GetFunction: (input, scope) => ({ resources: [`arn:aws:lambda:${scope.region}:${scope.accountId}:function:${input.FunctionName}`] }),
      Invoke: () => ({ actions: ['lambda:InvokeFunction'] }),
    },
  },
  operations: {
    async CreateFunction(input, ctx) {
      calls.push({ op: 'CreateFunction', input, ctx });
      return { FunctionName: input.FunctionName, MemorySize: input.MemorySize, LastModified: '2026-01-01T00:00:00.000+0000' };
    },
    async GetFunction(input, ctx) {
      calls.push({ op: 'GetFunction', input, ctx });
      if (input.FunctionName === 'missing') {
        throw new AwsError(
          'ResourceNotFoundException',
          'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
          404,
          { Type: 'User' },
        );
      }
      if (input.FunctionName === 'crash') throw new Error('secret internal detail');
      return {
        Configuration: { FunctionName: input.FunctionName, Runtime: 'nodejs20.x', MemorySize: 128 },
        Code: { RepositoryType: 'S3', Location: `${ctx.baseUrl}/code/x.zip` },
      };
    },
    async ListFunctions(input, ctx) {
      calls.push({ op: 'ListFunctions', input, ctx });
      return { Functions: [{ FunctionName: 'a' }, { FunctionName: 'b' }], NextMarker: 'next' };
    },
    async Invoke(input, ctx) {
      calls.push({ op: 'Invoke', input, ctx });
      if (input.FunctionName === 'streamed') {
        ctx.responseHeaders['Warning'] = '199 nimbus "a header the model has no member for"';
        return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Readable.from([Buffer.from('"stre'), Buffer.from('amed"')]) };
      }
      return {
        StatusCode: 200,
        FunctionError: input.FunctionName.endsWith(':fails') ? 'Unhandled' : undefined,
        LogResult: Buffer.from('log tail').toString('base64'),
        ExecutedVersion: '$LATEST',
        Payload: Buffer.from(JSON.stringify({ echo: JSON.parse(input.Payload.toString()) })),
      };
    },
    async InvokeWithResponseStream(input, ctx) {
      calls.push({ op: 'InvokeWithResponseStream', input, ctx });
      async function* events() {
        if (input.FunctionName === 'throttled') throw LambdaErrors.tooManyRequests('Rate Exceeded.', { fields: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } });
        yield { PayloadChunk: { Payload: Buffer.from('one ') } };
        yield { PayloadChunk: { Payload: Buffer.from('two') } };
        yield { InvokeComplete: { LogResult: 'bG9n' } };
      }
      return { StatusCode: 200, ExecutedVersion: '7', EventStream: events() };
    },
    async ListTags(input, ctx) {
      if (input.Resource.includes('hang')) {
        // Holds the request until its client goes away, then says so through the signal.
        calls.push({ op: 'ListTags', input, ctx });
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        hungUp.push(input.Resource);
        return { Tags: {} };
      }
      if (input.Resource.includes('notfound')) throw LambdaErrors.notFound(`Resource not found: ${input.Resource}`);
      return { Tags: { resource: input.Resource } };
    },
  },
};

const groups = new Set<string>();
const logs: ServiceDefinition = {
  signingName: 'logs',
  model: loadModel('logs'),
  operations: {
    async CreateLogGroup(input) {
      if (groups.has(input.logGroupName)) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
      }
      groups.add(input.logGroupName);
      return {};
    },
    async DescribeLogGroups() {
      return { logGroups: [...groups].map((logGroupName) => ({ logGroupName, creationTime: 1767225600000 })) };
    },
    async PutLogEvents(input, ctx) {
      calls.push({ op: 'PutLogEvents', input, ctx });
      return { nextSequenceToken: '1' };
    },
  },
};

let server: Server;
let endpoint: string;

beforeAll(async () => {
  const edge = createEdge({
    services: [lambda, logs],
    credentials: (id) => (id === AKID ? { secretAccessKey: SECRET, accountId: '000000000000' } : undefined),
    authorize: (request) => {
      authorizations.push(request);
      if (request.resources.includes('arn:aws:lambda:us-east-1:000000000000:function:denied')) {
        throw new AwsError('AccessDeniedException', 'not for you', 403);
      }
    },
    logger: silentLogger,
    maxBodyBytes: 1024 * 1024,
    rawRoutes: [
      (req, res, url) => {
        if (url.pathname !== '/health') return false;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return true;
      },
    ],
  });
  server = createServer(edge);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const clientConfig = (secret = SECRET) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: AKID, secretAccessKey: secret },
  maxAttempts: 1,
});

async function lastCall(op: string) {
  const call = [...calls].reverse().find((c) => c.op === op);
  if (!call) throw new Error(`no ${op} call`);
  return call;
}

describe('edge with @aws-sdk/client-lambda', () => {
  const client = () => new LambdaClient(clientConfig());

  it('serves GetFunction and passes the context', async () => {
    const out = await client().send(new GetFunctionCommand({ FunctionName: 'my-fn', Qualifier: '$LATEST' }));
    expect(out.Configuration?.FunctionName).toBe('my-fn');
    expect(out.Code?.Location).toBe(`${endpoint}/code/x.zip`);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const { input, ctx } = await lastCall('GetFunction');
    expect(input).toEqual({ FunctionName: 'my-fn', Qualifier: '$LATEST' });
    expect(ctx).toMatchObject({
      region: 'us-east-1',
      accountId: '000000000000',
      caller: { accountId: '000000000000', principal: 'arn:aws:iam::000000000000:root', accessKeyId: AKID },
      via: 'http',
      baseUrl: endpoint,
    });
    expect(ctx.requestId).toBe(out.$metadata.requestId);
    await ctx.responded;
    expect(ctx.signal.aborted).toBe(false);
  });

  it("aborts the handler's signal when the client goes away before the answer", async () => {
    const resource = 'arn:aws:lambda:us-east-1:000000000000:function:hang';
    const abort = new AbortController();
    const sent = client().send(new ListTagsCommand({ Resource: resource }), { abortSignal: abort.signal }).catch((e) => e);
    await until(() => calls.some((c) => c.op === 'ListTags' && c.input.Resource === resource), 5000, 'the handler to be called');
    expect((await lastCall('ListTags')).ctx.signal.aborted).toBe(false);
    abort.abort();
    expect((await sent).name).toBe('AbortError');
    await until(() => hungUp.includes(resource), 5000, 'the signal to abort');
    await (await lastCall('ListTags')).ctx.responded;
  });

  it('takes the region from the credential scope, and refuses one that is not a region', async () => {
    await new LambdaClient({ ...clientConfig(), region: 'eu-west-1' }).send(new GetFunctionCommand({ FunctionName: 'elsewhere' }));
    expect((await lastCall('GetFunction')).ctx.region).toBe('eu-west-1');
    const err = await new LambdaClient({ ...clientConfig(), region: 'moon-base' })
      .send(new GetFunctionCommand({ FunctionName: 'x' }))
      .catch((e) => e);
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toBe("Credential should be scoped to a valid region, not 'moon-base'. ");
  });

  it('asks the authorizer with what the operation declares, before the handler runs', async () => {
    await client().send(new GetFunctionCommand({ FunctionName: 'allowed' }));
    expect(authorizations.at(-1)).toMatchObject({
      actions: ['lambda:GetFunction'],
      resources: ['arn:aws:lambda:us-east-1:000000000000:function:allowed'],
      caller: { principal: 'arn:aws:iam::000000000000:root' },
      accountId: '000000000000',
      region: 'us-east-1',
      via: 'http',
    });
    await client().send(new ListFunctionsCommand({}));
    expect(authorizations.at(-1)).toMatchObject({ actions: ['lambda:ListFunctions'], resources: ['*'] });
    const before = calls.length;
    const err = await client()
      .send(new GetFunctionCommand({ FunctionName: 'denied' }))
      .catch((e) => e);
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    expect(calls.length).toBe(before);
  });

  it('serves ListFunctions with Marker and MaxItems in the query string', async () => {
    const out = await client().send(new ListFunctionsCommand({ Marker: 'm/1 +', MaxItems: 5 }));
    expect(out.Functions?.map((f) => f.FunctionName)).toEqual(['a', 'b']);
    expect(out.NextMarker).toBe('next');
    expect((await lastCall('ListFunctions')).input).toEqual({ Marker: 'm/1 +', MaxItems: 5 });
  });

  it('serves CreateFunction with a base64 zip, status 201', async () => {
    const zip = Buffer.from('PK\u0003\u0004 fake zip bytes');
    const out = await client().send(
      new CreateFunctionCommand({
        FunctionName: 'created',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        MemorySize: 256,
        Code: { ZipFile: zip },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.FunctionName).toBe('created');
    const { input } = await lastCall('CreateFunction');
    expect(Buffer.isBuffer(input.Code.ZipFile)).toBe(true);
    expect(input.Code.ZipFile.equals(zip)).toBe(true);
    expect(input.MemorySize).toBe(256);
  });

  it('answers model validation failures as ValidationException', async () => {
    const err = await client()
      .send(
        new CreateFunctionCommand({
          FunctionName: 'created',
          Role: 'arn:aws:iam::000000000000:role/lambda-role',
          MemorySize: 100,
          Code: { ZipFile: Buffer.from('x') },
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value '100' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    );
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('invokes with a raw payload, an encoded ARN and response headers', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:fails';
    const out = await client().send(
      new InvokeCommand({ FunctionName: arn, Payload: Buffer.from('{"n":1}'), LogType: 'Tail', Qualifier: '$LATEST' }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(Buffer.from(out.LogResult!, 'base64').toString()).toBe('log tail');
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ echo: { n: 1 } });
    const { input } = await lastCall('Invoke');
    expect(input).toMatchObject({ FunctionName: arn, LogType: 'Tail', Qualifier: '$LATEST' });
    expect(Buffer.isBuffer(input.Payload)).toBe(true);
  });

  it('pipes a blob payload a handler gives as a stream, with the headers it adds', async () => {
    const res = await signedFetch('POST', '/2015-03-31/functions/streamed/invocations', '{}');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('"streamed"');
    expect(res.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(res.headers.get('warning')).toBe('199 nimbus "a header the model has no member for"');
    expect(authorizations.at(-1)?.actions).toEqual(['lambda:InvokeFunction']);
  });

  it('writes an event stream output as its events come, the head with the first', async () => {
    const out = await client().send(new InvokeWithResponseStreamCommand({ FunctionName: 'streaming' }));
    expect(out.ExecutedVersion).toBe('7');
    const got: unknown[] = [];
    for await (const e of out.EventStream!) {
      if (e.PayloadChunk) got.push(Buffer.from(e.PayloadChunk.Payload!).toString());
      if (e.InvokeComplete) got.push(e.InvokeComplete);
    }
    expect(got).toEqual(['one ', 'two', { LogResult: 'bG9n' }]);
  });

  it('answers a stream that fails before its first event as an ordinary error', async () => {
    const err = await client()
      .send(new InvokeWithResponseStreamCommand({ FunctionName: 'throttled' }))
      .catch((e) => e);
    expect([err.name, err.$metadata.httpStatusCode, err.Reason]).toEqual(['TooManyRequestsException', 429, 'ReservedFunctionConcurrentInvocationLimitExceeded']);
  });

  it('surfaces service errors with their name, message and fields', async () => {
    const err = await client()
      .send(new GetFunctionCommand({ FunctionName: 'missing' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing');
    expect(err.Type).toBe('User');
    expect(err.$metadata.httpStatusCode).toBe(404);
    const tagErr = await client()
      .send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:notfound' }))
      .catch((e) => e);
    expect(tagErr.name).toBe('ResourceNotFoundException');
  });

  it('hides internal errors behind a 500 ServiceException', async () => {
    const err = await client()
      .send(new GetFunctionCommand({ FunctionName: 'crash' }))
      .catch((e) => e);
    expect(err.name).toBe('ServiceException');
    expect(err.message).not.toContain('secret internal detail');
    expect(err.$metadata.httpStatusCode).toBe(500);
  });

  it('rejects a wrong secret with InvalidSignatureException and keeps serving', async () => {
    const bad = new LambdaClient(clientConfig('wrong-secret'));
    const err = await bad.send(new GetFunctionCommand({ FunctionName: 'my-fn' })).catch((e) => e);
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect((await client().send(new GetFunctionCommand({ FunctionName: 'still-up' }))).Configuration?.FunctionName).toBe(
      'still-up',
    );
  });
});

describe('edge with @aws-sdk/client-cloudwatch-logs (json protocol)', () => {
  const client = () => new CloudWatchLogsClient(clientConfig());

  it('routes by X-Amz-Target and round-trips JSON', async () => {
    await client().send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/fn' }));
    const out = await client().send(new DescribeLogGroupsCommand({}));
    expect(out.logGroups).toEqual([{ logGroupName: '/aws/lambda/fn', creationTime: 1767225600000 }]);
    const put = await client().send(
      new PutLogEventsCommand({
        logGroupName: '/aws/lambda/fn',
        logStreamName: 's',
        logEvents: [{ timestamp: 1767225600000, message: 'hello' }],
      }),
    );
    expect(put.nextSequenceToken).toBe('1');
    expect((await lastCall('PutLogEvents')).input.logEvents).toEqual([{ timestamp: 1767225600000, message: 'hello' }]);
  });

  it('surfaces json-protocol errors and validation', async () => {
    const err = await client()
      .send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/fn' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(err.message).toBe('The specified log group already exists');
    const invalid = await client()
      .send(new CreateLogGroupCommand({ logGroupName: '' }))
      .catch((e) => e);
    expect(invalid.name).toBe('ValidationException');
    expect(invalid.message).toMatch(/^\d validation errors? detected: Value '' at 'logGroupName' failed to satisfy constraint/);
  });

  it('answers operations without a handler with 501', async () => {
    const { DeleteLogGroupCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const err = await client()
      .send(new DeleteLogGroupCommand({ logGroupName: 'x' }))
      .catch((e) => e);
    expect(err.name).toBe('NotImplementedException');
    expect(err.$metadata.httpStatusCode).toBe(501);
  });
});

describe('edge over plain HTTP', () => {
  it('answers unsigned requests with 403 MissingAuthenticationTokenException', async () => {
    const res = await fetch(`${endpoint}/2015-03-31/functions`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toMatchObject({ message: 'Missing Authentication Token' });
  });

  it('accepts presigned URLs', async () => {
    const signer = new SignatureV4({
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      region: 'us-east-1',
      service: 'lambda',
      sha256: Hash.bind(null, 'sha256'),
    });
    const url = new URL(endpoint);
    const path = `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-east-1:000000000000:function:presigned')}`;
    const presigned = await signer.presign(
      new HttpRequest({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host } }),
      { expiresIn: 60 },
    );
    const query = Object.entries(presigned.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const res = await fetch(`${endpoint}${path}?${query}`);
    expect(res.status).toBe(200);
    expect((await res.json()).Configuration.FunctionName).toBe('arn:aws:lambda:us-east-1:000000000000:function:presigned');
  });

  it('serves raw routes before authentication', async () => {
    const res = await fetch(`${endpoint}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('answers malformed authorization with IncompleteSignatureException', async () => {
    const res = await fetch(`${endpoint}/2015-03-31/functions/%E0%A4%A`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 nonsense', 'x-amz-date': '???' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });

  it('answers an unknown credential-scope service with a clear 400', async () => {
    const res = await signedFetch('POST', '/', '{}', { service: 'sqs' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
    expect((await res.json()).message).toContain("'sqs'");
  });

  it('answers bad JSON, bad labels and unknown paths in the service shape', async () => {
    const badJson = await signedFetch('POST', '/2015-03-31/functions', '{"FunctionName":');
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    expect(await badJson.json()).toMatchObject({ Type: 'User', message: expect.stringMatching(/^Could not parse request body into json: /) });

    const wrongType = await signedFetch('POST', '/2015-03-31/functions', '{"FunctionName":"f","Role":"r","Code":{},"MemorySize":"big"}');
    expect(wrongType.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');

    const badLabel = await signedFetch('GET', '/2015-03-31/functions/%E0%A4%A');
    expect(badLabel.status).toBe(400);
    expect(badLabel.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');

    const unknown = await signedFetch('GET', '/2015-03-31/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');

    const logsBadJson = await signedFetch('POST', '/', '[1,2', {
      service: 'logs',
      headers: { 'x-amz-target': 'Logs_20140328.DescribeLogGroups', 'content-type': 'application/x-amz-json-1.1' },
    });
    expect(logsBadJson.status).toBe(400);
    expect(await logsBadJson.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('answers an oversized body with 413 and closes, declared or chunked', async () => {
    const declared = await rawHttp({ method: 'POST', path: '/', headers: { 'content-length': String(2 * 1024 * 1024), ...fakeAuth() } }, []);
    expect(declared.status).toBe(413);
    expect(declared.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    expect(declared.headers.connection).toBe('close');

    const chunked = await rawHttp({ method: 'POST', path: '/', headers: fakeAuth() }, [Buffer.alloc(700_000), Buffer.alloc(700_000)]);
    expect(chunked.status).toBe(413);
  });

  it('survives a client that aborts mid-body', async () => {
    await new Promise<void>((resolve) => {
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/2015-03-31/functions',
        headers: { ...fakeAuth(), 'content-length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('{"partial":', () => {
        req.destroy();
        resolve();
      });
    });
    const after = await new LambdaClient(clientConfig()).send(new GetFunctionCommand({ FunctionName: 'alive' }));
    expect(after.Configuration?.FunctionName).toBe('alive');
  });
});

/** A request signed like an SDK would, for bodies and paths the SDK would never send. */
async function signedFetch(
  method: string,
  path: string,
  body?: string,
  opts: { service?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const url = new URL(path, endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
    region: 'us-east-1',
    service: opts.service ?? 'lambda',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      headers: { host: url.host, 'content-type': 'application/json', ...opts.headers },
      body,
    }),
  );
  return fetch(`${endpoint}${path}`, { method, headers: signed.headers, body });
}

interface RawResult {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
}

/** A plain node:http request; resolves with the response, or whatever arrived before the socket closed. */
function rawHttp(options: { method: string; path: string; headers: Record<string, string> }, chunks: Buffer[]): Promise<RawResult> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, ...options }, (res) => {
      res.resume();
      resolve({ status: res.statusCode, headers: res.headers });
    });
    req.on('error', () => resolve({ headers: {} }));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** Headers that pass the header-only checks (known key, fresh date) with a signature that cannot match. */
function fakeAuth(): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${AKID}/${amzDate.slice(0, 8)}/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
}

const exec = promisify(execFile);
const hasAwsCli = await exec('aws', ['--version']).then(
  () => true,
  () => false,
);

describe.skipIf(!hasAwsCli)('edge with the aws CLI (botocore)', () => {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: AKID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const aws = (...args: string[]) => exec('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });

  it('signs requests the edge verifies, ARN paths included', async () => {
    const { stdout } = await aws('lambda', 'get-function', '--function-name', 'arn:aws:lambda:us-east-1:000000000000:function:cli');
    expect(JSON.parse(stdout).Configuration.FunctionName).toBe('arn:aws:lambda:us-east-1:000000000000:function:cli');
    const err = await aws('lambda', 'get-function', '--function-name', 'missing').catch((e) => e);
    expect(String(err.stderr)).toContain('ResourceNotFoundException');
    expect(String(err.stderr)).toContain('Function not found');
    const { stdout: groupsOut } = await aws('logs', 'describe-log-groups');
    expect(Array.isArray(JSON.parse(groupsOut).logGroups)).toBe(true);
  });
});
