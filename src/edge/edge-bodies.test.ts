/**
 * The edge's body policies and shared signing names, through a real node:http server: an
 * operation that streams its body reads gigabytes in flat memory and fails, never commits, when
 * the body is not what was signed; an operation's own cap refuses an over-long body from its
 * Content-Length, unread; two services signing as one name are told apart by Host and target.
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BodyStream } from '../kit/http/body-stream.js';
import { loadModel } from '../kit/models/models.js';
import type { ServiceDefinition, ServiceModel } from '../kit/service-definition.js';
import { AwsError } from '../shared/errors.js';
import { silentLogger } from '../shared/logger.js';
import { createEdge } from './edge.js';

const AKID = 'AKIDNIMBUSTEST';
const SECRET = 'nimbus-test-secret';
const received: Array<{ bytes: number; committed: boolean }> = [];

/** Lambda's model, with Invoke streamed: a handler that counts what it reads, then "commits". */
const streaming: ServiceDefinition = {
  signingName: 'lambda',
  model: loadModel('lambda'),
  bodies: { Invoke: { stream: true, maxBytes: 3 * 1024 ** 3 }, GetFunction: { maxBytes: 10, tooLarge: () => new AwsError('RequestEntityTooLargeException', 'too big for GetFunction', 413) } },
  operations: {
    async Invoke(input: { Payload: BodyStream }) {
      const seen = { bytes: 0, committed: false };
      received.push(seen);
      for await (const chunk of input.Payload) seen.bytes += chunk.length;
      seen.committed = true;
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify({ bytes: seen.bytes })) };
    },
    async GetFunction() {
      return {};
    },
  },
};

/** Two made-up awsJson services that both sign as `shared`. */
function jsonModel(endpointPrefix: string, targetPrefix: string): ServiceModel {
  return {
    metadata: { protocol: 'json', endpointPrefix, targetPrefix, jsonVersion: '1.0', apiVersion: '2020-01-01', signingName: 'shared' },
    operations: { Ping: { name: 'Ping', http: { method: 'POST', requestUri: '/' }, input: { shape: 'PingInput' }, output: { shape: 'PingOutput' } } },
    shapes: { PingInput: { type: 'structure', members: {} }, PingOutput: { type: 'structure', members: { From: { shape: 'S' } } }, S: { type: 'string' } },
  };
}
const sharedApi = (endpointPrefix: string, targetPrefix: string): ServiceDefinition => ({
  signingName: 'shared',
  model: jsonModel(endpointPrefix, targetPrefix),
  operations: { Ping: async () => ({ From: endpointPrefix }) },
});

let server: Server;
let port: number;

beforeAll(async () => {
  const edge = createEdge({
    services: [streaming, sharedApi('things', 'Things_20200101'), sharedApi('streams.things', 'ThingsStreams_20200101')],
    credentials: (id) => (id === AKID ? { secretAccessKey: SECRET, accountId: '000000000000' } : undefined),
    logger: silentLogger,
  });
  server = createServer(edge);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function signedHeaders(method: string, path: string, headers: Record<string, string>, service = 'lambda', body?: string) {
  const signer = new SignatureV4({ credentials: { accessKeyId: AKID, secretAccessKey: SECRET }, region: 'us-east-1', service, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(new HttpRequest({ method, protocol: 'http:', hostname: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers }, body }));
  return signed.headers;
}

/** A raw request (any Host, any method with a body); resolves with the status and body. */
function send(method: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (r) => {
      let text = '';
      r.on('data', (c) => (text += c));
      r.on('end', () => resolve({ status: r.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `size` bytes of `fill` in 1 MB chunks, as the client writes them; resolves with the answer. */
function upload(headers: Record<string, string>, size: number, fill = 0x61): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/2015-03-31/functions/big/invocations', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024, fill);
    let left = size;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('streamed request bodies', () => {
  it('hands an operation its body as a stream: 512 MB read in flat memory', async () => {
    const size = 512 * 1024 * 1024;
    const headers = await signedHeaders('POST', '/2015-03-31/functions/big/invocations', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(size) });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answer = await upload(headers, size).finally(() => clearInterval(sampler));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: size });
    // The whole body never sits in memory: growth stays a small fraction of its size.
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('fails the stream, never its handler’s commit, when the body is not what was signed', async () => {
    const signedFor = Buffer.alloc(1024, 0x61);
    const hash = createHash('sha256').update(signedFor).digest('hex');
    const headers = await signedHeaders('POST', '/2015-03-31/functions/big/invocations', { 'x-amz-content-sha256': hash, 'content-length': '1024' });
    const answer = await upload(headers, 1024, 0x62);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ message: "The provided 'x-amz-content-sha256' header does not match what was computed." });
    expect(received.at(-1)).toEqual({ bytes: 1024, committed: false });
    // The same body as signed goes through.
    const ok = await upload(headers, 1024, 0x61);
    expect(ok.status).toBe(200);
  });

  it('asks for x-amz-content-sha256 before reading a streamed body', async () => {
    const headers = await signedHeaders('POST', '/2015-03-31/functions/big/invocations', { 'content-length': '10' }, 'lambda', 'aaaaaaaaaa');
    delete headers['x-amz-content-sha256'];
    const answer = await upload(headers, 10);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ message: 'Missing required header for this request: x-amz-content-sha256' });
  });

  it('refuses a body over the operation’s own cap with its error, from Content-Length', async () => {
    const body = '{"x":"0123456789"}';
    const headers = await signedHeaders('GET', '/2015-03-31/functions/f', { 'content-length': String(body.length) }, 'lambda', body);
    // fetch cannot send a GET body: node:http can.
    const answer = await send('GET', '/2015-03-31/functions/f', headers, body);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ message: 'too big for GetFunction' });
  });
});

describe('services sharing a signing name', () => {
  async function ping(target: string, host = `127.0.0.1:${port}`) {
    const headers = await signedHeaders('POST', '/', { host, 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' }, 'shared', '{}');
    const answer = await send('POST', '/', headers, '{}');
    return JSON.parse(answer.body) as Record<string, unknown>;
  }

  it('routes by the JSON target prefix', async () => {
    expect(await ping('Things_20200101.Ping')).toEqual({ From: 'things' });
    expect(await ping('ThingsStreams_20200101.Ping')).toEqual({ From: 'streams.things' });
  });

  it('routes by the endpoint prefix of the Host first', async () => {
    expect(await ping('ThingsStreams_20200101.Ping', 'streams.things.us-east-1.amazonaws.com')).toEqual({ From: 'streams.things' });
    expect(await ping('ThingsStreams_20200101.Ping', 'things.us-east-1.amazonaws.com')).toMatchObject({ __type: expect.stringContaining('UnknownOperation') });
  });
});
