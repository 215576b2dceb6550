import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { within } from '../../../test/support/wait.js';
import { MAX_RESPONSE_BYTES } from '../limits.js';
import { HttpRuntimeApiTransport } from './http-transport.js';
import { accepted } from './replies.js';
import type { Respond, RuntimeApiBackend, RuntimeApiEndpoint } from './types.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: unknown;
}

function request(address: string, agent: http.Agent, method: string, path: string, body?: Buffer | string): Promise<Answer> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), socket: req.socket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function backend() {
  let onPark!: (r: Respond) => void;
  const state = {
    parked: new Promise<Respond>((resolve) => (onPark = resolve)),
    responses: [] as string[],
    streamed: [] as string[],
    errors: [] as string[],
    tooLarge: 0,
  };
  const b: RuntimeApiBackend = {
    stateName: () => 'Busy',
    currentRequestId: () => 'req-1',
    next: (respond) => (onPark(respond), true),
    response: (body) => (state.responses.push(body.toString()), true),
    responseTooLarge: () => (state.tooLarge++, true),
    streamBegin: (contentType) => (state.streamed.push(`begin:${contentType}`), 16),
    streamChunk: (chunk) => void state.streamed.push(chunk.toString()),
    error: (type, body) => (state.errors.push(`${type}:${body.toString()}`), true),
    initError: () => true,
  };
  return { b, state };
}

describe('HttpRuntimeApiTransport', () => {
  const endpoints: RuntimeApiEndpoint[] = [];
  const agents: http.Agent[] = [];
  const agent = () => {
    const a = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(a);
    return a;
  };
  afterEach(async () => {
    agents.splice(0).forEach((a) => a.destroy());
    await Promise.all(endpoints.splice(0).map((e) => e.close()));
  });
  const open = async (b: RuntimeApiBackend) => {
    const e = await new HttpRuntimeApiTransport().open(b);
    endpoints.push(e);
    return e;
  };

  it('gives every environment its own loopback port', async () => {
    const one = await open(backend().b);
    const two = await open(backend().b);
    expect(one.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(two.address).not.toBe(one.address);
  });

  it('long-polls GET /next until the environment delivers, with the reply headers', async () => {
    const { b, state } = backend();
    const e = await open(b);
    const a = agent();
    const pending = request(e.address, a, 'GET', '/2018-06-01/runtime/invocation/next');
    const respond = await within(state.parked, 5000, 'GET /next to park');
    respond({ status: 200, headers: { 'Content-Type': 'application/json', 'Lambda-Runtime-Aws-Request-Id': 'req-1' }, body: Buffer.from('{"a":1}') });
    const got = await within(pending, 5000, 'event');
    expect(got.status).toBe(200);
    expect(got.headers['lambda-runtime-aws-request-id']).toBe('req-1');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.body).toBe('{"a":1}');
  });

  it('forwards a streamed response chunk by chunk, then ends it with the whole body', async () => {
    const { b, state } = backend();
    const e = await open(b);
    const [host, port] = e.address.split(':');
    const req = http.request({
      host,
      port,
      method: 'POST',
      path: '/2018-06-01/runtime/invocation/req-1/response',
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain' },
    });
    const answered = new Promise<number>((resolve) => req.on('response', (res) => (res.resume(), resolve(res.statusCode!))));
    req.write('one,');
    await within(
      (async () => {
        while (state.streamed.length < 2) await new Promise((r) => setTimeout(r, 5));
      })(),
      5000,
      'first chunk',
    );
    expect(state.streamed).toEqual(['begin:text/plain', 'one,']);
    expect(state.responses).toEqual([]);
    req.end('two');
    expect(await within(answered, 5000, '202')).toBe(202);
    expect(state.streamed).toEqual(['begin:text/plain', 'one,', 'two']);
    expect(state.responses).toEqual(['one,two']);
  });

  it('takes a streamed error from the trailers, and caps streamed bodies at the backend’s limit', async () => {
    const { b, state } = backend();
    const e = await open(b);
    const [host, port] = e.address.split(':');
    const post = (body: string, trailers?: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({
          host,
          port,
          method: 'POST',
          path: '/2018-06-01/runtime/invocation/req-1/response',
          headers: {
            'Lambda-Runtime-Function-Response-Mode': 'streaming',
            'Transfer-Encoding': 'chunked',
            Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
          },
        });
        req.on('response', (res) => (res.resume(), resolve(res.statusCode!)));
        req.on('error', reject);
        req.write(body);
        if (trailers) req.addTrailers(trailers);
        req.end();
      });
    const errorBody = Buffer.from('{"errorType":"Boom","errorMessage":"mid-stream"}').toString('base64');
    expect(await post('partial', { 'Lambda-Runtime-Function-Error-Type': 'Boom', 'Lambda-Runtime-Function-Error-Body': errorBody })).toBe(202);
    expect(state.errors).toEqual(['Boom:{"errorType":"Boom","errorMessage":"mid-stream"}']);
    expect(state.responses).toEqual([]);
    expect(await post('x'.repeat(17))).toBe(413);
    expect(state.tooLarge).toBe(1);
  });

  it('reads a response body and answers 202 on the same keep-alive connection', async () => {
    const { b, state } = backend();
    const e = await open(b);
    const a = agent();
    const first = await request(e.address, a, 'POST', '/2018-06-01/runtime/invocation/req-1/response', '{"ok":true}');
    const second = await request(e.address, a, 'POST', '/2018-06-01/runtime/invocation/req-1/response', 'x'.repeat(100_000));
    expect(first.status).toBe(202);
    expect(JSON.parse(first.body)).toEqual({ status: 'OK' });
    expect(state.responses).toEqual(['{"ok":true}', 'x'.repeat(100_000)]);
    expect(second.socket).toBe(first.socket);
  });

  it('caps bodies: over 6 MB is discarded, flagged, answered 413, and the connection stays usable', async () => {
    const { b, state } = backend();
    const e = await open(b);
    const a = agent();
    const big = await request(e.address, a, 'POST', '/2018-06-01/runtime/invocation/req-1/response', Buffer.alloc(MAX_RESPONSE_BYTES + 1, 120));
    expect(big.status).toBe(413);
    expect(state.tooLarge).toBe(1);
    expect(state.responses).toEqual([]);
    const exact = await request(e.address, a, 'POST', '/2018-06-01/runtime/invocation/req-1/response', Buffer.alloc(MAX_RESPONSE_BYTES, 120));
    expect(exact.status).toBe(202);
    expect(state.responses[0]).toHaveLength(MAX_RESPONSE_BYTES);
  });

  it('answers unknown routes 404 and a wrong id 400', async () => {
    const e = await open(backend().b);
    const a = agent();
    expect((await request(e.address, a, 'GET', '/2018-06-01/runtime/nothing')).status).toBe(404);
    const wrong = await request(e.address, a, 'POST', '/2018-06-01/runtime/invocation/other/response', '{}');
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
  });

  it('drops parked requests on close and stops listening', async () => {
    const { b, state } = backend();
    const e = await open(b);
    const pending = request(e.address, agent(), 'GET', '/2018-06-01/runtime/invocation/next');
    const respond = await within(state.parked, 5000, 'GET /next to park');
    await within(e.close(), 5000, 'close');
    endpoints.length = 0;
    await expect(pending).rejects.toThrow();
    await expect(request(e.address, agent(), 'GET', '/2018-06-01/runtime/invocation/next')).rejects.toThrow();
    respond(accepted()); // answering after close is harmless
  });
  it('hands pipelined requests of one connection to the backend in order', async () => {
    const order: string[] = [];
    const { b, state } = backend();
    const ordered: RuntimeApiBackend = {
      ...b,
      response: (body) => (order.push('response'), b.response(body)),
      next: (respond) => (order.push('next'), b.next(respond)),
    };
    const e = await open(ordered);
    const [host, port] = e.address.split(':');
    const socket = net.connect({ host, port: Number(port) });
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    // A large body arrives in several chunks, so its end comes well after the GET's headers.
    const body = JSON.stringify('x'.repeat(200_000));
    socket.write(
      `POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}` +
        'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const respond = await within(state.parked, 5000, 'GET /next to park');
    expect(order).toEqual(['response', 'next']);
    expect(state.responses[0]).toBe(body);
    respond({ status: 200, headers: { 'Lambda-Runtime-Aws-Request-Id': 'req-2' }, body: Buffer.from('{}') });
    await within(new Promise<void>((r) => socket.on('data', () => Buffer.concat(received).toString().includes('req-2') && r())), 5000, 'event');
    const text = Buffer.concat(received).toString();
    expect(text.indexOf('202')).toBeLessThan(text.indexOf('req-2'));
    socket.destroy();
  });
});
