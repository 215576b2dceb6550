import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES } from '../limits.js';
import { errorPayload, errorTypeOf } from './error-body.js';
import { eventReply, headerSafe } from './event-reply.js';
import { dispatch, matchRoute, ROUTES } from './router.js';
import type { RapiReply, RuntimeApiBackend } from './types.js';

/** A backend that records calls and allows what `allow` says. */
function backend(allow = true, current = 'req-1') {
  const calls: string[] = [];
  const b: RuntimeApiBackend = {
    stateName: () => 'Busy',
    currentRequestId: () => current,
    next: () => (calls.push('next'), allow),
    response: (body) => (calls.push(`response:${body.toString()}`), allow),
    responseTooLarge: () => (calls.push('tooLarge'), allow),
    streamBegin: () => (calls.push('streamBegin'), allow && 16),
    streamChunk: () => void calls.push('streamChunk'),
    error: (type, body) => (calls.push(`error:${type}:${body.toString()}`), allow),
    initError: (type, body) => (calls.push(`initError:${type}:${body.toString()}`), allow),
  };
  return { b, calls };
}

function call(b: RuntimeApiBackend, method: string, url: string, body = '', headers: Record<string, string> = {}, tooLarge = false) {
  let reply: RapiReply | undefined;
  dispatch(method, url, { header: (n) => headers[n], body: Buffer.from(body), bodyTooLarge: tooLarge }, b, (r) => (reply = r));
  return reply;
}
const bodyOf = (r: RapiReply | undefined) => JSON.parse(r!.body.toString()) as unknown;
const V = '/2018-06-01/runtime';

describe('Runtime API router', () => {
  it('lists the four runtime routes', () => {
    expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${V}/invocation/next`,
      `POST ${V}/invocation/{id}/response`,
      `POST ${V}/invocation/{id}/error`,
      `POST ${V}/init/error`,
    ]);
    expect(ROUTES.find((r) => r.path.endsWith('/response'))?.maxBodyBytes).toBe(MAX_RESPONSE_BYTES);
  });

  it('matches ids and ignores query strings', () => {
    expect(matchRoute('POST', `${V}/invocation/abc-1/response?x=1`)).toMatchObject({ requestId: 'abc-1' });
    expect(matchRoute('GET', `${V}/invocation/next?x`)).toMatchObject({ requestId: '' });
  });

  it('answers unknown paths 404 and wrong methods 405', () => {
    for (const path of ['/', `${V}/invocation`, `${V}/invocation/a/b/response`, `${V}/invocation//response`, `${V}/invocation/a/other`, '/2018-06-01/runtime/restore/next', '/ping']) {
      const r = matchRoute('GET', path);
      expect('status' in r && r.status, path).toBe(404);
    }
    expect(call(backend().b, 'POST', `${V}/invocation/next`)?.status).toBe(405);
    expect(call(backend().b, 'GET', `${V}/invocation/req-1/response`)?.status).toBe(405);
  });

  it('parks GET /next in the backend, 403 when the state forbids it', () => {
    const ok = backend();
    expect(call(ok.b, 'GET', `${V}/invocation/next`)).toBeUndefined();
    expect(ok.calls).toEqual(['next']);
    const no = backend(false);
    const r = call(no.b, 'GET', `${V}/invocation/next`);
    expect(r?.status).toBe(403);
    expect(bodyOf(r)).toEqual({
      errorMessage: 'State transition from Busy to Ready failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
  });

  it('accepts a response with 202 {"status":"OK"}', () => {
    const { b, calls } = backend();
    const r = call(b, 'POST', `${V}/invocation/req-1/response`, '{"a":1}');
    expect(r?.status).toBe(202);
    expect(bodyOf(r)).toEqual({ status: 'OK' });
    expect(r?.headers['Content-Type']).toBe('application/json');
    expect(calls).toEqual(['response:{"a":1}']);
  });

  it('validates the request id before the state: 400 InvalidRequestID, backend untouched', () => {
    const { b, calls } = backend(false);
    for (const route of ['response', 'error']) {
      const r = call(b, 'POST', `${V}/invocation/someone-else/${route}`, '{}');
      expect(r?.status).toBe(400);
      expect(bodyOf(r)).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    expect(calls).toEqual([]);
    expect(call(backend(true, undefined as unknown as string).b, 'POST', `${V}/invocation/x/response`)?.status).toBe(400);
  });

  it('answers 403 when the state forbids a response or error', () => {
    const { b } = backend(false);
    expect(bodyOf(call(b, 'POST', `${V}/invocation/req-1/response`))).toMatchObject({ errorType: 'InvalidStateTransition' });
    expect(bodyOf(call(b, 'POST', `${V}/invocation/req-1/error`))).toEqual({
      errorMessage: 'State transition from Busy to InvocationErrorResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
    expect(call(b, 'POST', `${V}/init/error`)?.status).toBe(403);
  });

  it('answers 413 to a response over the limit and fails the invocation', () => {
    const { b, calls } = backend();
    const r = call(b, 'POST', `${V}/invocation/req-1/response`, '', {}, true);
    expect(r?.status).toBe(413);
    expect(bodyOf(r)).toEqual({ errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' });
    expect(calls).toEqual(['tooLarge']);
  });

  it('passes the error type header and body of /error and /init/error', () => {
    const { b, calls } = backend();
    expect(call(b, 'POST', `${V}/invocation/req-1/error`, '{"e":1}', { 'lambda-runtime-function-error-type': 'Runtime.X' })?.status).toBe(202);
    expect(call(b, 'POST', `${V}/init/error`, 'plain', { 'lambda-runtime-function-error-type': 'Runtime.Y' })?.status).toBe(202);
    expect(calls).toEqual(['error:Runtime.X:{"e":1}', 'initError:Runtime.Y:plain']);
  });
});

describe('error bodies', () => {
  it('passes JSON through and wraps anything else', () => {
    expect(errorPayload('T', Buffer.from('{"errorMessage":"m"}')).toString()).toBe('{"errorMessage":"m"}');
    expect(JSON.parse(errorPayload('MyError', Buffer.from('oops')).toString())).toEqual({ errorMessage: 'oops', errorType: 'MyError' });
    expect(JSON.parse(errorPayload(undefined, Buffer.alloc(0)).toString())).toEqual({ errorMessage: '', errorType: 'Runtime.Unknown' });
  });

  it('finds the error type to log', () => {
    expect(errorTypeOf('H', Buffer.from('{"errorType":"B"}'))).toBe('H');
    expect(errorTypeOf(undefined, Buffer.from('{"errorType":"B"}'))).toBe('B');
    expect(errorTypeOf(undefined, Buffer.from('nope'))).toBe('Runtime.Unknown');
  });
});

describe('event reply', () => {
  it('carries the invocation context in Lambda-Runtime-* headers', () => {
    const r = eventReply({ requestId: 'r', deadlineMs: 1542409706888, invokedFunctionArn: 'arn:x', payload: Buffer.from('{}'), cognitoIdentity: '{"cognitoIdentityId":"i"}' });
    expect(r.status).toBe(200);
    expect(r.headers).toEqual({
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': 'r',
      'Lambda-Runtime-Deadline-Ms': '1542409706888',
      'Lambda-Runtime-Invoked-Function-Arn': 'arn:x',
      'Lambda-Runtime-Cognito-Identity': '{"cognitoIdentityId":"i"}',
    });
  });

  it('makes JSON header-safe without changing its meaning', () => {
    const original = { name: 'Zoë 😀', nested: { a: [1, 2] } };
    const text = JSON.stringify(original, null, 2);
    const safe = headerSafe(text);
    expect(/^[\t\x20-\x7e]*$/.test(safe)).toBe(true);
    expect(JSON.parse(safe)).toEqual(original);
    expect(headerSafe('Root=1-abc;Sampled=1')).toBe('Root=1-abc;Sampled=1');
  });
});
