/**
 * Function URLs through the real @aws-sdk/client-lambda (configuration) and plain HTTP (the
 * URL itself, host-based with node:http and a Host header, and path-based): the payload 2.0
 * event a function sees, how its result maps to the response, errors, AWS_IAM with SigV4, CORS.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { CREDENTIALS, REGION, removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
const HANDLER = `exports.handler = async (event) => {
  const mode = (event.queryStringParameters || {}).mode || 'echo';
  if (mode === 'echo') return { statusCode: 200, body: JSON.stringify(event) };
  if (mode === 'custom') return { statusCode: 201, headers: { 'X-Custom': 'yes', 'Content-Type': 'text/plain' }, cookies: ['a=1; Max-Age=60', 'b=2'], body: 'created' };
  if (mode === 'bare') return 'hello';
  if (mode === 'object') return { hello: 'world' };
  if (mode === 'binary') return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
  if (mode === 'cors') return { statusCode: 200, headers: { 'access-control-allow-origin': 'https://evil.example' }, body: 'ok' };
  throw new Error('boom');
};`;

let nimbus: NimbusProcess;
let port: string;

beforeAll(async () => {
  nimbus = await startNimbus();
  port = new URL(nimbus.url).port;
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'web',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': HANDLER }) },
    }),
  );
  await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'web' }));
  await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'web', Name: 'live', FunctionVersion: '1' }));
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTP request to Nimbus's port, with whatever Host header the test wants. */
function send(options: { path: string; host?: string; method?: string; headers?: Record<string, string | string[]>; body?: Buffer | string }): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          ok({ status: res.statusCode!, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

const urlIdOf = (url: string) => /^http:\/\/([a-z0-9]{32})\.lambda-url\.us-east-1\.localhost:\d+\/$/.exec(url)![1]!;

describe('function URL configuration', () => {
  let urlId: string;

  it('creates a URL (201) for the unqualified function, and reads it back', async () => {
    const created = await nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.FunctionUrl).toMatch(new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${port}/$`));
    expect(created).toMatchObject({ FunctionArn: `${ARN}:web`, AuthType: 'NONE', InvokeMode: 'BUFFERED' });
    expect(Date.parse(created.CreationTime!)).not.toBeNaN();
    urlId = urlIdOf(created.FunctionUrl!);
    const got = await nimbus.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    expect(got).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: 'NONE', CreationTime: created.CreationTime });
    expect(got.LastModifiedTime).toBeDefined();
  });

  it('refuses a second configuration for the same function and qualifier, leaving the first', async () => {
    const err = await failure(() => nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' })));
    expect(err).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    expect(err.message).toContain('FunctionUrlConfig exists for this Lambda function');
    expect((await nimbus.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).AuthType).toBe('NONE');
  });

  it('refuses a version number as qualifier, an unknown alias and an unknown function', async () => {
    expect(await failure(() => nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: '1', AuthType: 'NONE' }))))
      .toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await failure(() => nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: `${ARN}:web:1`, AuthType: 'NONE' }))))
      .toMatchObject({ name: 'ValidationException' });
    expect(await failure(() => nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'nope', AuthType: 'NONE' }))))
      .toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await failure(() => nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'ghost', AuthType: 'NONE' }))))
      .toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await failure(() => nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live', AuthType: 'BASIC' as any }))))
      .toMatchObject({ name: 'ValidationException' });
    expect(await failure(() => nimbus.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live' }))))
      .toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('updates, lists and deletes (204); the URL id stays stable', async () => {
    const updated = await nimbus.lambda.send(
      new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['POST'], MaxAge: 300 } }),
    );
    expect(updated).toMatchObject({ AuthType: 'NONE', Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['POST'], MaxAge: 300 } });
    await nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live', AuthType: 'AWS_IAM' }));
    const listed = await nimbus.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web' }));
    expect(listed.FunctionUrlConfigs!.map((c) => `${c.FunctionArn} ${c.AuthType}`)).toEqual([`${ARN}:web NONE`, `${ARN}:web:live AWS_IAM`]);
    const deleted = await nimbus.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await failure(() => nimbus.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live' }))))
      .toMatchObject({ name: 'ResourceNotFoundException' });
    await nimbus.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', Cors: {} }));
    expect(urlIdOf((await nimbus.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).FunctionUrl!)).toBe(urlId);
  });
});

describe('invoking a NONE URL', () => {
  let id: string;
  let host: string;
  beforeAll(async () => {
    id = urlIdOf((await nimbus.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).FunctionUrl!);
    host = `${id}.lambda-url.us-east-1.localhost:${port}`;
  });

  it('passes the request as a payload format 2.0 event (host form)', async () => {
    const reply = await send({
      host,
      path: '/some/path?b=x%20y&a=1&a=2',
      headers: { cookie: 'c1=v1; c2=v2', 'x-multi': ['one', 'two'], 'user-agent': 'url-test' },
    });
    expect(reply.status).toBe(200);
    const event = JSON.parse(reply.text);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/some/path',
      rawQueryString: 'b=x%20y&a=1&a=2',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      isBase64Encoded: false,
      requestContext: {
        accountId: 'anonymous',
        apiId: id,
        domainName: `${id}.lambda-url.us-east-1.localhost`,
        domainPrefix: id,
        http: { method: 'GET', path: '/some/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'url-test' },
        routeKey: '$default',
        stage: '$default',
      },
    });
    expect(event.headers).toMatchObject({ 'x-multi': 'one,two', 'user-agent': 'url-test', host });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.requestContext.requestId).toBe(reply.headers['x-amzn-requestid']);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
  });

  it('passes text bodies as text and binary bodies as base64 (path form)', async () => {
    const text = JSON.parse((await send({ path: `/_nimbus/url/${id}/items?x=1`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"k":"v"}' })).text);
    expect(text).toMatchObject({ rawPath: '/items', rawQueryString: 'x=1', body: '{"k":"v"}', isBase64Encoded: false, requestContext: { http: { method: 'POST' } } });
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    const binary = JSON.parse((await send({ path: `/_nimbus/url/${id}`, method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes })).text);
    expect(binary).toMatchObject({ rawPath: '/', body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('maps statusCode, headers and cookies to the response', async () => {
    const reply = await send({ host, path: '/?mode=custom' });
    expect(reply.status).toBe(201);
    expect(reply.headers['x-custom']).toBe('yes');
    expect(reply.headers['content-type']).toBe('text/plain');
    expect(reply.headers['set-cookie']).toEqual(['a=1; Max-Age=60', 'b=2']);
    expect(reply.text).toBe('created');
  });

  it('sends a bare value as 200 application/json, and decodes base64 bodies', async () => {
    const bare = await send({ host, path: '/?mode=bare' });
    expect([bare.status, bare.headers['content-type'], bare.text]).toEqual([200, 'application/json', 'hello']);
    const object = await send({ host, path: '/?mode=object' });
    expect([object.status, object.headers['content-type'], JSON.parse(object.text)]).toEqual([200, 'application/json', { hello: 'world' }]);
    const binary = await send({ host, path: '/?mode=binary' });
    expect([...binary.body]).toEqual([0, 1, 2, 255]);
  });

  it('answers 502 Internal Server Error when the function fails', async () => {
    const reply = await send({ host, path: '/?mode=throw' });
    expect(reply.status).toBe(502);
    expect(reply.text).toBe('Internal Server Error');
  });

  it('answers 403 for a URL id that does not exist', async () => {
    const reply = await send({ host: `${'z'.repeat(32)}.lambda-url.us-east-1.localhost:${port}`, path: '/' });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.text)).toEqual({ Message: 'Forbidden' });
  });
});

class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {}
}

describe('an AWS_IAM URL', () => {
  let id: string;
  beforeAll(async () => {
    const created = await nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live', AuthType: 'AWS_IAM' }));
    id = urlIdOf(created.FunctionUrl!);
  });

  async function signed(host: string, path: string, service = 'lambda') {
    const signer = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service, sha256: NodeSha256 as any });
    const [pathname, query = ''] = path.split('?');
    const req = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: host.split(':')[0]!,
      port: Number(port),
      path: pathname!,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: { host },
    });
    return send({ host, path, headers: req.headers });
  }

  it('refuses unsigned and wrongly signed requests with 403', async () => {
    const host = `${id}.lambda-url.us-east-1.localhost:${port}`;
    const unsigned = await send({ host, path: '/' });
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.text)).toEqual({ Message: 'Forbidden' });
    expect((await signed(host, '/', 'execute-api')).status).toBe(403);
  });

  it('runs signed requests, with the caller in requestContext.authorizer.iam', async () => {
    const host = `${id}.lambda-url.us-east-1.localhost:${port}`;
    const reply = await signed(host, '/who?x=1');
    expect(reply.status).toBe(200);
    const event = JSON.parse(reply.text);
    expect(event.requestContext.accountId).toBe('000000000000');
    expect(event.requestContext.authorizer.iam).toMatchObject({ accessKey: CREDENTIALS.accessKeyId, accountId: '000000000000' });
    // The path form signs like any request to Nimbus's own host.
    const viaPath = await signed(`127.0.0.1:${port}`, `/_nimbus/url/${id}/who`);
    expect(viaPath.status).toBe(200);
  });
});

describe('CORS', () => {
  let host: string;
  beforeAll(async () => {
    const updated = await nimbus.lambda.send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: 'web',
        Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-custom'], MaxAge: 300, AllowCredentials: true },
      }),
    );
    host = `${urlIdOf(updated.FunctionUrl!)}.lambda-url.us-east-1.localhost:${port}`;
  });

  it('answers a preflight from the configuration without running the function', async () => {
    const reply = await send({
      host,
      path: '/',
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'X-Custom, X-Other' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'x-custom',
      'access-control-max-age': '300',
      'access-control-allow-credentials': 'true',
    });
    expect(reply.text).toBe('');
    const other = await send({ host, path: '/', method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('puts the configured CORS headers on responses, replacing the function’s', async () => {
    const reply = await send({ host, path: '/?mode=cors', headers: { origin: 'https://app.example' } });
    expect(reply.status).toBe(200);
    expect(reply.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example', 'access-control-expose-headers': 'x-custom' });
    const stranger = await send({ host, path: '/?mode=cors', headers: { origin: 'https://evil.example' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('deleting the function', () => {
  it('deletes its URLs', async () => {
    const url = (await nimbus.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).FunctionUrl!;
    await nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'web' }));
    expect((await send({ host: `${urlIdOf(url)}.lambda-url.us-east-1.localhost:${port}`, path: '/' })).status).toBe(403);
  });
});
