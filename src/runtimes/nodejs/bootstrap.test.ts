/**
 * The Node.js runtime client against a fake Runtime API: real child processes, real HTTP, a clean
 * Lambda environment. Each test writes a handler into a temporary task root.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeRuntimeApi, within, type RuntimePost } from '../../../test/support/runtimes/fake-runtime-api.js';
import { startRuntime, type RuntimeProcess } from '../../../test/support/runtimes/runtime-process.js';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
const WAIT = 10_000;

interface Fixture {
  api: FakeRuntimeApi;
  runtime: RuntimeProcess;
  taskRoot: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Writes `files` into a fresh task root and starts the runtime on `handler`. */
async function start(files: Record<string, string>, handler: string, env: Record<string, string> = {}): Promise<Fixture> {
  const taskRoot = mkdtempSync(join(tmpdir(), 'nimbus-node-rt-'));
  cleanups.push(async () => rmSync(taskRoot, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(taskRoot, name)), { recursive: true });
    writeFileSync(join(taskRoot, name), text);
  }
  const api = await FakeRuntimeApi.start();
  cleanups.push(() => api.close());
  const runtime = startRuntime({ command: [process.execPath, BOOTSTRAP], api: api.address, taskRoot, handler, env });
  cleanups.push(async () => void (await runtime.stop()));
  return { api, runtime, taskRoot };
}

async function invoke(f: Fixture, event: unknown, options?: Parameters<FakeRuntimeApi['invoke']>[1]): Promise<RuntimePost> {
  return within(Promise.race([f.api.invoke(event, options), f.runtime.died]), WAIT, 'the invocation result');
}

async function invokeOk(f: Fixture, event: unknown = {}): Promise<unknown> {
  const post = await invoke(f, event);
  expect(post.kind, post.body).toBe('response');
  return post.json;
}

async function initError(f: Fixture) {
  const post = await within(Promise.race([f.api.waitForInitError(), f.runtime.died]), WAIT, 'the init error');
  const exit = await within(f.runtime.exited, WAIT, 'the runtime to exit');
  return { post, exit, body: post.json as { errorType: string; errorMessage: string; trace: string[] } };
}

describe('Node.js runtime: loading the handler', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['CommonJS .js (exports.x)', { 'index.js': `exports.handler = async (e) => ({ style: 'cjs', e });` }, 'index.handler'],
    [
      'CommonJS .js whose exports are built at run time',
      { 'index.js': `module.exports = Object.fromEntries([['handler', async (e) => ({ style: 'dynamic', e })]]);` },
      'index.handler',
    ],
    ['ES module .mjs', { 'app.mjs': `export const handler = async (e) => ({ style: 'esm', e });` }, 'app.handler'],
    ['CommonJS .cjs', { 'app.cjs': `module.exports.handler = async (e) => ({ style: 'cjs', e });` }, 'app.handler'],
    [
      '.js under "type": "module"',
      { 'package.json': '{"type":"module"}', 'app.js': `export async function handler(e) { return { style: 'esm', e }; }` },
      'app.handler',
    ],
    [
      'ES module with top-level await',
      { 'app.mjs': `const style = await Promise.resolve('esm'); export const handler = async (e) => ({ style, e });` },
      'app.handler',
    ],
    ['a nested path', { 'lib/deep/handler.js': `exports.fn = async (e) => ({ style: 'cjs', e });` }, 'lib/deep/handler.fn'],
    ['a nested property', { 'index.js': `exports.api = { v1: { fn: async (e) => ({ style: 'cjs', e }) } };` }, 'index.api.v1.fn'],
    ['a directory with index.js', { 'lib/index.js': `exports.handler = async (e) => ({ style: 'cjs', e });` }, 'lib.handler'],
  ];

  it.each(cases)('%s', async (_name, files, handler) => {
    const f = await start(files, handler);
    const result = (await invokeOk(f, { n: 1 })) as { style: string; e: unknown };
    expect(result.e).toEqual({ n: 1 });
    expect(['cjs', 'esm', 'dynamic']).toContain(result.style);
  });

  it('resolves a module from node_modules through Node resolution', async () => {
    const f = await start(
      { 'node_modules/pkg/package.json': '{"main":"main.js"}', 'node_modules/pkg/main.js': `exports.handler = async () => 'from pkg';` },
      'pkg.handler',
    );
    expect(await invokeOk(f)).toBe('from pkg');
  });
});

describe('Node.js runtime: init errors', () => {
  it('reports a missing module as Runtime.ImportModuleError and exits', async () => {
    const f = await start({}, 'index.handler');
    const { post, exit, body } = await initError(f);
    expect(body.errorType).toBe('Runtime.ImportModuleError');
    expect(body.errorMessage).toMatch(/^Error: Cannot find module 'index'\nRequire stack:\n- /);
    expect(body.trace[0]).toBe("Runtime.ImportModuleError: Error: Cannot find module 'index'");
    expect(post.headers['lambda-runtime-function-error-type']).toBe('Runtime.ImportModuleError');
    expect(exit.code).toBe(129);
    expect(f.api.nextRequests).toBe(0);
    expect(await f.runtime.waitForLine(/\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Runtime.ImportModuleError"/)).toBeTruthy();
  });

  it('reports a missing dependency of the module as Runtime.ImportModuleError', async () => {
    const f = await start({ 'index.js': `require('not-installed'); exports.handler = async () => 1;` }, 'index.handler');
    const { body } = await initError(f);
    expect(body.errorType).toBe('Runtime.ImportModuleError');
    expect(body.errorMessage).toMatch(/^Error: Cannot find module 'not-installed'/);
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const f = await start({ 'index.js': `exports.other = async () => 1;` }, 'index.handler');
    const { body, exit } = await initError(f);
    expect(body).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
    expect(exit.code).toBe(129);
  });

  it('reports an export that is not a function as Runtime.HandlerNotFound', async () => {
    const f = await start({ 'index.mjs': `export const handler = 42;` }, 'index.handler');
    const { body } = await initError(f);
    expect(body).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is not a function' });
  });

  it.each([
    ['CommonJS', 'index.js', `exports.handler = async () => {;`],
    ['ES module', 'index.mjs', `export const handler = async () => {;`],
  ])('reports a syntax error in a %s as Runtime.UserCodeSyntaxError', async (_kind, file, text) => {
    const f = await start({ [file]: text }, 'index.handler');
    const { body, post } = await initError(f);
    expect(body.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(body.errorMessage).toMatch(/^SyntaxError: /);
    expect(post.headers['lambda-runtime-function-error-type']).toBe('Runtime.UserCodeSyntaxError');
  });

  it.each([
    ['no function part', 'index', 'Bad handler'],
    ['a relative path', '../index.handler', "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names."],
  ])('reports a handler with %s as Runtime.MalformedHandlerName', async (_what, handler, message) => {
    const f = await start({ 'index.js': `exports.handler = async () => 1;` }, handler);
    const { body } = await initError(f);
    expect(body).toMatchObject({ errorType: 'Runtime.MalformedHandlerName', errorMessage: message });
  });

  it('reports an exception thrown by module initialisation as is', async () => {
    const f = await start({ 'index.js': `class ConfigError extends Error { name = 'ConfigError' }\nthrow new ConfigError('no config');` }, 'index.handler');
    const { body, exit } = await initError(f);
    expect(body).toMatchObject({ errorType: 'ConfigError', errorMessage: 'no config' });
    expect(body.trace[0]).toBe('ConfigError: no config');
    expect(exit.code).toBe(129);
  });

  it('reports an unhandled rejection during init as Runtime.UnhandledPromiseRejection (exit 128)', async () => {
    const f = await start({ 'index.js': `Promise.reject(new Error('init went wrong')); exports.handler = async () => 1;` }, 'index.handler');
    const { body, exit } = await initError(f);
    expect(body).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: init went wrong' });
    expect(exit.code).toBe(128);
  });
});

describe('Node.js runtime: handler styles', () => {
  it('answers an async handler with its JSON-serialized result, undefined as null', async () => {
    const f = await start({ 'index.js': `exports.handler = async (e) => e.value;` }, 'index.handler');
    expect((await invoke(f, { value: { a: [1, 'x'] } })).body).toBe('{"a":[1,"x"]}');
    expect((await invoke(f, {})).body).toBe('null');
  });

  it('answers a promise-returning (non-async) handler', async () => {
    const f = await start({ 'index.js': `exports.handler = (e) => Promise.resolve(e.value * 2);` }, 'index.handler');
    expect(await invokeOk(f, { value: 21 })).toBe(42);
  });

  it('answers a callback handler with callback(null, result)', async () => {
    const f = await start({ 'index.js': `exports.handler = (e, ctx, cb) => cb(null, { got: e });` }, 'index.handler');
    expect(await invokeOk(f, 'x')).toEqual({ got: 'x' });
  });

  it('with callbackWaitsForEmptyEventLoop (default), answers only when the event loop is empty', async () => {
    // The result object is changed by a timer after the callback: it is serialized when sent.
    const f = await start(
      {
        'index.js': `exports.handler = (e, ctx, cb) => {
          const result = { waits: ctx.callbackWaitsForEmptyEventLoop, timerFired: false };
          setTimeout(() => { result.timerFired = true; }, 150);
          cb(null, result);
        };`,
      },
      'index.handler',
    );
    expect(await invokeOk(f)).toEqual({ waits: true, timerFired: true });
  });

  it('with callbackWaitsForEmptyEventLoop = false, answers at once', async () => {
    const f = await start(
      {
        'index.js': `let fired = 0;
        exports.handler = (e, ctx, cb) => {
          ctx.callbackWaitsForEmptyEventLoop = false;
          const result = { fired, timerFired: false };
          setTimeout(() => { result.timerFired = true; fired++; }, 200);
          cb(null, result);
        };`,
      },
      'index.handler',
    );
    expect(await invokeOk(f)).toEqual({ fired: 0, timerFired: false });
  });

  it('answers an async handler as soon as it resolves, without waiting for timers', async () => {
    const f = await start(
      { 'index.js': `exports.handler = async () => { const r = { timerFired: false }; setTimeout(() => { r.timerFired = true; }, 200); return r; };` },
      'index.handler',
    );
    expect(await invokeOk(f)).toEqual({ timerFired: false });
  });

  it('supports the legacy context.succeed / context.fail / context.done', async () => {
    const f = await start(
      {
        'index.js': `exports.handler = (e, ctx) => {
          if (e.use === 'succeed') ctx.succeed({ ok: 1 });
          else if (e.use === 'fail') ctx.fail(new Error('failed'));
          else if (e.use === 'done') ctx.done(null, 'done!');
          else ctx.fail();
        };`,
      },
      'index.handler',
    );
    expect(await invokeOk(f, { use: 'succeed' })).toEqual({ ok: 1 });
    expect((await invoke(f, { use: 'fail' })).json).toMatchObject({ errorType: 'Error', errorMessage: 'failed' });
    expect(await invokeOk(f, { use: 'done' })).toBe('done!');
    expect((await invoke(f, { use: 'nothing' })).json).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] });
  });

  it('counts only the first of several completions', async () => {
    const f = await start(
      { 'index.js': `exports.handler = (e, ctx, cb) => { cb(null, 'first'); cb(null, 'second'); ctx.succeed('third'); return Promise.resolve('fourth'); };` },
      'index.handler',
    );
    expect(await invokeOk(f)).toBe('first');
    expect(await invokeOk(f)).toBe('first');
    expect(f.api.posts).toHaveLength(2);
  });

  it('answers null when a synchronous handler returns without calling back', async () => {
    const f = await start({ 'index.js': `exports.handler = () => 'ignored';` }, 'index.handler');
    expect((await invoke(f, {})).body).toBe('null');
  });

  it('fails an async handler whose promise can never settle with Runtime.NodeJsExit', async () => {
    const f = await start({ 'index.js': `exports.handler = async () => new Promise(() => {});` }, 'index.handler');
    const post = await invoke(f, {});
    expect(post.kind).toBe('error');
    expect(post.json).toMatchObject({ errorType: 'Runtime.NodeJsExit' });
    // The runtime keeps serving.
    expect((await invoke(f, {})).json).toMatchObject({ errorType: 'Runtime.NodeJsExit' });
  });
});

describe('Node.js runtime: the context object', () => {
  it('carries the invoke headers and the function environment', async () => {
    const f = await start(
      {
        'index.js': `exports.handler = async (e, ctx) => {
          const first = ctx.getRemainingTimeInMillis();
          await new Promise((r) => setTimeout(r, 30));
          const second = ctx.getRemainingTimeInMillis();
          const { getRemainingTimeInMillis, succeed, fail, done, ...fields } = ctx;
          return { fields, first, second, trace: process.env._X_AMZN_TRACE_ID ?? null,
                   fns: [typeof getRemainingTimeInMillis, typeof succeed, typeof fail, typeof done] };
        };`,
      },
      'index.handler',
    );
    const deadlineMs = Date.now() + 60_000;
    const post = await invoke(f, {}, {
      requestId: 'req-ctx-1',
      deadlineMs,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn:prod',
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      clientContext: JSON.stringify({ custom: { a: 1 }, env: { platform: 'x' } }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
    });
    const result = post.json as {
      fields: Record<string, unknown>;
      first: number;
      second: number;
      trace: string | null;
      fns: string[];
    };
    expect(result.fields).toEqual({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'test-fn',
      functionVersion: '$LATEST',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/test-fn',
      logStreamName: '2024/01/01/[$LATEST]0123456789abcdef',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn:prod',
      awsRequestId: 'req-ctx-1',
      clientContext: { custom: { a: 1 }, env: { platform: 'x' } },
      identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
    });
    expect(result.fns).toEqual(['function', 'function', 'function', 'function']);
    expect(result.first).toBeLessThanOrEqual(60_000);
    expect(result.first).toBeGreaterThan(50_000);
    expect(result.second).toBeLessThan(result.first);
    expect(result.trace).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');

    // The next invoke has no trace header: the variable is cleared, and no context leaks over.
    const next = (await invokeOk(f)) as { trace: string | null; fields: Record<string, unknown> };
    expect(next.trace).toBeNull();
    expect(next.fields.clientContext).toBeUndefined();
  });

  it('fails the invoke when the client context is not JSON', async () => {
    const f = await start({ 'index.js': `exports.handler = async () => 'unreachable';` }, 'index.handler');
    const post = await invoke(f, {}, { clientContext: '{not json' });
    expect(post.kind).toBe('error');
    expect((post.json as { errorMessage: string }).errorMessage).toMatch(/^Cannot parse ClientContext as json/);
  });
});

describe('Node.js runtime: function errors', () => {
  it('posts a thrown Error with its type, message and stack, and logs it', async () => {
    const f = await start({ 'index.js': `exports.handler = async () => { throw new TypeError('bad input'); };` }, 'index.handler');
    const post = await invoke(f, {}, { requestId: 'req-err-1' });
    expect(post.kind).toBe('error');
    expect(post.headers['lambda-runtime-function-error-type']).toBe('TypeError');
    const body = post.json as { errorType: string; errorMessage: string; trace: string[] };
    expect(body.errorType).toBe('TypeError');
    expect(body.errorMessage).toBe('bad input');
    expect(body.trace[0]).toBe('TypeError: bad input');
    expect(body.trace.some((line) => line.includes('index.js'))).toBe(true);
    const line = await within(f.runtime.waitForLine(/\treq-err-1\tERROR\tInvoke Error /), WAIT, 'the Invoke Error log line');
    expect(line).toContain('{"errorType":"TypeError","errorMessage":"bad input"');
  });

  it('uses error.name as the type of custom errors', async () => {
    const f = await start(
      { 'index.mjs': `class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; } }\nexport const handler = async () => { throw new NotFound('no such item'); };` },
      'index.handler',
    );
    const post = await invoke(f, {});
    expect(post.json).toMatchObject({ errorType: 'NotFound', errorMessage: 'no such item' });
    expect(post.headers['lambda-runtime-function-error-type']).toBe('NotFound');
  });

  it.each([
    ['a string through the callback', `(e, c, cb) => cb('went wrong')`, { errorType: 'string', errorMessage: 'went wrong', trace: [] }],
    ['a thrown object', `async () => { throw { code: 42 }; }`, { errorType: 'object', errorMessage: '[object Object]', trace: [] }],
    ['a synchronous throw', `() => { throw new RangeError('sync'); }`, { errorType: 'RangeError', errorMessage: 'sync' }],
  ])('reports %s like AWS', async (_what, fn, expected) => {
    const f = await start({ 'index.js': `exports.handler = ${fn};` }, 'index.handler');
    const post = await invoke(f, {});
    expect(post.kind).toBe('error');
    expect(post.json).toMatchObject(expected);
  });

  it('fails an invoke whose result cannot be serialized', async () => {
    const f = await start({ 'index.js': `exports.handler = async () => { const a = {}; a.self = a; return a; };` }, 'index.handler');
    const post = await invoke(f, {});
    expect(post.kind).toBe('error');
    expect(post.json).toMatchObject({ errorType: 'Error', errorMessage: 'Unable to stringify response body' });
  });

  it('keeps serving after a function error', async () => {
    const f = await start({ 'index.js': `exports.handler = async (e) => { if (e.fail) throw new Error('x'); return 'ok'; };` }, 'index.handler');
    expect((await invoke(f, { fail: true })).kind).toBe('error');
    expect(await invokeOk(f, {})).toBe('ok');
  });

  it('posts an uncaught exception as the invoke error and exits 129', async () => {
    const f = await start(
      { 'index.js': `exports.handler = (e, ctx, cb) => { setTimeout(() => { throw new Error('from a timer'); }, 10); };` },
      'index.handler',
    );
    const post = await invoke(f, {}, { requestId: 'req-crash' });
    expect(post).toMatchObject({ kind: 'error', requestId: 'req-crash' });
    expect(post.json).toMatchObject({ errorType: 'Error', errorMessage: 'from a timer' });
    expect((await within(f.runtime.exited, WAIT, 'exit')).code).toBe(129);
    expect(await f.runtime.waitForLine(/\treq-crash\tERROR\tUncaught Exception \t/)).toBeTruthy();
  });

  it('reports a crash after the answer was sent (while waiting for the next event) and exits', async () => {
    const f = await start(
      {
        'index.js': `exports.handler = (e, ctx, cb) => {
          ctx.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => { throw new Error('after the answer'); }, 50);
          cb(null, 'answered');
        };`,
      },
      'index.handler',
    );
    const post = await invoke(f, {}, { requestId: 'req-late' });
    expect(post).toMatchObject({ kind: 'response', json: 'answered' });
    // Like AWS, the crash is reported against the last request id; the Runtime API decides.
    expect((await within(f.runtime.exited, WAIT, 'exit')).code).toBe(129);
    expect(f.api.posts.map((p) => [p.kind, p.requestId])).toEqual([
      ['response', 'req-late'],
      ['error', 'req-late'],
    ]);
  });

  it('posts an unhandled rejection as Runtime.UnhandledPromiseRejection and exits 128', async () => {
    const f = await start(
      { 'index.js': `exports.handler = async () => { Promise.reject(new Error('forgotten')); await new Promise((r) => setTimeout(r, 500)); return 'late'; };` },
      'index.handler',
    );
    const post = await invoke(f, {});
    expect(post.kind).toBe('error');
    expect(post.headers['lambda-runtime-function-error-type']).toBe('Runtime.UnhandledPromiseRejection');
    expect(post.json).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: forgotten' });
    expect((await within(f.runtime.exited, WAIT, 'exit')).code).toBe(128);
    expect(f.api.posts).toHaveLength(1);
  });

  it('fails an invoke whose event is not JSON', async () => {
    const f = await start({ 'index.js': `exports.handler = async () => 'unreachable';` }, 'index.handler');
    const post = await within(Promise.race([f.api.invoke(undefined, { rawBody: '{oops' }), f.runtime.died]), WAIT, 'result');
    expect(post.kind).toBe('error');
    expect(post.json).toMatchObject({ errorType: 'SyntaxError' });
  });
});

describe('Node.js runtime: logging', () => {
  const TS = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

  it('writes one line per console call: time, request id, level, formatted message', async () => {
    const f = await start(
      {
        'index.js': `console.log('loading');
        exports.handler = async () => {
          console.log('hello %s', 'world', 42);
          console.info({ a: 1 });
          console.warn('careful');
          console.error('two\\nlines');
          console.debug('dbg');
          console.trace('trc');
          return 'ok';
        };`,
      },
      'index.handler',
    );
    await invoke(f, {}, { requestId: 'req-log' });
    const expectLine = (re: string) => within(f.runtime.waitForLine(new RegExp(`^${TS}\\t${re}$`)), WAIT, re);
    await expectLine(String.raw`undefined\tINFO\tloading`);
    await expectLine(String.raw`req-log\tINFO\thello world 42`);
    await expectLine(String.raw`req-log\tINFO\t\{ a: 1 \}`);
    await expectLine(String.raw`req-log\tWARN\tcareful`);
    await expectLine(String.raw`req-log\tERROR\ttwo\rlines`);
    await expectLine(String.raw`req-log\tDEBUG\tdbg`);
    await expectLine(String.raw`req-log\tTRACE\ttrc`);
  });

  it('keeps a logged Error (with its stack) on one line', async () => {
    const f = await start({ 'index.js': `exports.handler = async () => { console.error(new Error('logged')); return 1; };` }, 'index.handler');
    await invoke(f, {}, { requestId: 'req-stack' });
    const line = await within(f.runtime.waitForLine(/\treq-stack\tERROR\tError: logged/), WAIT, 'error line');
    expect(line).toMatch(/Error: logged\r {4}at /);
  });

  it('drops records below AWS_LAMBDA_LOG_LEVEL', async () => {
    const f = await start(
      { 'index.js': `exports.handler = async () => { console.info('quiet'); console.debug('quieter'); console.warn('loud'); return 1; };` },
      'index.handler',
      { AWS_LAMBDA_LOG_LEVEL: 'WARN' },
    );
    await invoke(f, {}, { requestId: 'req-level' });
    await within(f.runtime.waitForLine(/\treq-level\tWARN\tloud$/), WAIT, 'warn line');
    expect(f.runtime.stdoutLines.filter((l) => l.includes('quiet'))).toEqual([]);
  });

  it('writes JSON records when AWS_LAMBDA_LOG_FORMAT is JSON', async () => {
    const f = await start(
      { 'index.js': `exports.handler = async () => { console.log('plain'); console.info({ order: 7 }); return 1; };` },
      'index.handler',
      { AWS_LAMBDA_LOG_FORMAT: 'JSON' },
    );
    await invoke(f, {}, { requestId: 'req-json' });
    const plain = JSON.parse(await within(f.runtime.waitForLine(/"message":"plain"/), WAIT, 'json line'));
    expect(plain).toMatchObject({ level: 'INFO', requestId: 'req-json', message: 'plain' });
    expect(plain.timestamp).toMatch(new RegExp(`^${TS}$`));
    const structured = JSON.parse(await within(f.runtime.waitForLine(/"order":7/), WAIT, 'json line'));
    expect(structured.message).toEqual({ order: 7 });
  });
});

describe('Node.js runtime: warm reuse', () => {
  it('serves many invokes in one process over one connection, keeping module state', async () => {
    const f = await start({ 'index.mjs': `let count = 0;\nexport const handler = async (e) => ({ count: ++count, pid: process.pid, e });` }, 'index.handler');
    const first = (await invokeOk(f, 'a')) as { count: number; pid: number };
    const second = (await invokeOk(f, 'b')) as { count: number; pid: number; e: string };
    expect(first.count).toBe(1);
    expect(second).toMatchObject({ count: 2, pid: first.pid, e: 'b' });
    expect(second.pid).toBe(f.runtime.child.pid);
    await within(f.api.waitForNext(), WAIT, 'the next poll');
    expect(f.api.nextRequests).toBe(3);
    expect(f.api.connections).toBe(1);
  });

  it('starts each invoke with a fresh callbackWaitsForEmptyEventLoop', async () => {
    const f = await start(
      { 'index.js': `exports.handler = (e, ctx, cb) => { const was = ctx.callbackWaitsForEmptyEventLoop; ctx.callbackWaitsForEmptyEventLoop = false; cb(null, was); };` },
      'index.handler',
    );
    expect(await invokeOk(f)).toBe(true);
    expect(await invokeOk(f)).toBe(true);
  });
});
