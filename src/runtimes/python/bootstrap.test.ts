/**
 * The Python runtime client against a fake Runtime API: real `python3 -u bootstrap.py`
 * processes, real HTTP, a clean Lambda environment. Each test writes a handler into a temporary
 * task root.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeRuntimeApi, within, type RuntimePost } from '../../../test/support/runtimes/fake-runtime-api.js';
import { startRuntime, type RuntimeProcess } from '../../../test/support/runtimes/runtime-process.js';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.py', import.meta.url));
const PYTHON = 'python3';
const WAIT = 10_000;
const TS = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

const hasPython = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import sys; assert sys.version_info >= (3, 9)']);
    return true;
  } catch {
    return false;
  }
})();

interface Fixture {
  api: FakeRuntimeApi;
  runtime: RuntimeProcess;
  taskRoot: string;
}

interface ErrorBody {
  errorMessage: string;
  errorType: string;
  requestId: string;
  stackTrace: string[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Python source: strips the common indentation of a template literal. */
function py(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

async function start(files: Record<string, string>, handler: string, env: Record<string, string> = {}): Promise<Fixture> {
  const taskRoot = mkdtempSync(join(tmpdir(), 'nimbus-py-rt-'));
  cleanups.push(async () => rmSync(taskRoot, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(taskRoot, name)), { recursive: true });
    writeFileSync(join(taskRoot, name), text);
  }
  const api = await FakeRuntimeApi.start();
  cleanups.push(() => api.close());
  const runtime = startRuntime({
    command: [PYTHON, '-u', BOOTSTRAP],
    api: api.address,
    taskRoot,
    handler,
    env: { AWS_EXECUTION_ENV: 'AWS_Lambda_python3.11', PYTHONPATH: taskRoot, PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
  cleanups.push(async () => void (await runtime.stop()));
  return { api, runtime, taskRoot };
}

function invoke(f: Fixture, event: unknown, options?: Parameters<FakeRuntimeApi['invoke']>[1]): Promise<RuntimePost> {
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
  return { post, exit, body: post.json as ErrorBody };
}

describe.skipIf(!hasPython)('Python runtime: handlers', () => {
  it('answers with the JSON-serialized result and keeps module state between invokes', async () => {
    const f = await start(
      {
        'app.py': py(`
          import os
          count = 0
          def handler(event, context):
              global count
              count += 1
              return {"count": count, "event": event, "pid": os.getpid()}
        `),
      },
      'app.handler',
    );
    const first = (await invokeOk(f, { a: 1 })) as { count: number; pid: number };
    const second = (await invokeOk(f, [1, 'two'])) as { count: number; pid: number; event: unknown };
    expect(first).toMatchObject({ count: 1, event: { a: 1 } });
    expect(second).toMatchObject({ count: 2, event: [1, 'two'], pid: first.pid });
    expect(first.pid).toBe(f.runtime.child.pid);
    await within(f.api.waitForNext(), WAIT, 'the next poll');
    expect(f.api.nextRequests).toBe(3);
    expect(f.api.connections).toBe(1);
  });

  it('answers None as null and serializes like json.dumps', async () => {
    const f = await start({ 'app.py': 'def handler(event, context):\n    return event.get("value")\n' }, 'app.handler');
    expect((await invoke(f, {})).body).toBe('null');
    expect((await invoke(f, { value: { a: [1, 2.5, true] } })).body).toBe('{"a": [1, 2.5, true]}');
  });

  it('loads a handler from a nested path', async () => {
    const f = await start({ 'lib/deep/handler.py': 'def fn(event, context):\n    return "deep"\n' }, 'lib/deep/handler.fn');
    expect(await invokeOk(f)).toBe('deep');
  });

  it('returns bytes unchanged as application/unknown', async () => {
    const f = await start({ 'app.py': 'def handler(event, context):\n    return b"\\x00raw"\n' }, 'app.handler');
    const post = await invoke(f, {});
    expect(post.kind).toBe('response');
    expect(post.headers['content-type']).toBe('application/unknown');
    expect(post.body).toBe('\u0000raw');
  });

  it.each([
    ['python3.11', '"\\u00e9t\\u00e9"'],
    ['python3.12', '"été"'],
  ])('encodes non-ASCII text as AWS does on %s', async (runtime, expected) => {
    const f = await start({ 'app.py': 'def handler(event, context):\n    return "été"\n' }, 'app.handler', {
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
    });
    expect((await invoke(f, {})).body).toBe(expected);
  });
});

describe.skipIf(!hasPython)('Python runtime: the context object', () => {
  it('carries the invoke headers and the function environment', async () => {
    const f = await start(
      {
        'app.py': py(`
          import os, time
          def handler(event, context):
              first = context.get_remaining_time_in_millis()
              time.sleep(0.03)
              second = context.get_remaining_time_in_millis()
              cc = context.client_context
              return {
                  "function_name": context.function_name,
                  "function_version": context.function_version,
                  "invoked_function_arn": context.invoked_function_arn,
                  "memory_limit_in_mb": context.memory_limit_in_mb,
                  "aws_request_id": context.aws_request_id,
                  "log_group_name": context.log_group_name,
                  "log_stream_name": context.log_stream_name,
                  "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
                  "client_context": None if cc is None else {"custom": cc.custom, "env": cc.env, "app_title": cc.client.app_title},
                  "first": first,
                  "second": second,
                  "trace": os.environ.get("_X_AMZN_TRACE_ID"),
              }
        `),
      },
      'app.handler',
    );
    const post = await invoke(f, {}, {
      requestId: 'req-py-ctx',
      deadlineMs: Date.now() + 60_000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn:live',
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      clientContext: JSON.stringify({ custom: { a: 1 }, env: { e: 'x' }, client: { app_title: 'app' } }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
    });
    const result = post.json as Record<string, unknown> & { first: number; second: number };
    expect(result).toMatchObject({
      function_name: 'test-fn',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn:live',
      memory_limit_in_mb: '128',
      aws_request_id: 'req-py-ctx',
      log_group_name: '/aws/lambda/test-fn',
      log_stream_name: '2024/01/01/[$LATEST]0123456789abcdef',
      identity: ['id-1', 'pool-1'],
      client_context: { custom: { a: 1 }, env: { e: 'x' }, app_title: 'app' },
      trace: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
    });
    expect(result.first).toBeGreaterThan(50_000);
    expect(result.first).toBeLessThanOrEqual(60_000);
    expect(result.second).toBeLessThan(result.first);

    const next = (await invokeOk(f)) as Record<string, unknown>;
    expect(next).toMatchObject({ trace: null, client_context: null, identity: [null, null] });
  });
});

describe.skipIf(!hasPython)('Python runtime: function errors', () => {
  it('posts an exception with the user frames only, and logs it', async () => {
    const f = await start(
      {
        'app.py': py(`
          def check(event):
              raise ValueError("bad input: " + str(event["n"]))
          def handler(event, context):
              check(event)
        `),
      },
      'app.handler',
    );
    const post = await invoke(f, { n: 7 }, { requestId: 'req-py-err' });
    expect(post.kind).toBe('error');
    expect(post.headers['lambda-runtime-function-error-type']).toBe('ValueError');
    const body = post.json as ErrorBody;
    expect(body).toMatchObject({ errorMessage: 'bad input: 7', errorType: 'ValueError', requestId: 'req-py-err' });
    expect(body.stackTrace).toHaveLength(2);
    expect(body.stackTrace[0]).toMatch(/^ {2}File ".*\/app\.py", line 4, in handler\n {4}check\(event\)\n$/);
    expect(body.stackTrace[1]).toMatch(/^ {2}File ".*\/app\.py", line 2, in check\n/);
    expect(Object.keys(body)).toEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);

    const line = await within(f.runtime.waitForLine(/^\[ERROR\] ValueError: bad input: 7\r/), WAIT, 'the error log line');
    expect(line).toContain('\rTraceback (most recent call last):\r\u00a0\u00a0File "');
    // The runtime keeps serving.
    expect((await invoke(f, { n: 8 })).kind).toBe('error');
  });

  it('reports a result json cannot serialize as Runtime.MarshalError', async () => {
    const f = await start({ 'app.py': 'def handler(event, context):\n    return {1, 2}\n' }, 'app.handler');
    const post = await invoke(f, {}, { requestId: 'req-marshal' });
    expect(post.json).toEqual({
      errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
      errorType: 'Runtime.MarshalError',
      requestId: 'req-marshal',
      stackTrace: [],
    });
    expect(post.headers['lambda-runtime-function-error-type']).toBe('Runtime.MarshalError');
  });

  it('reports an event that is not JSON as Runtime.UnmarshalError', async () => {
    const f = await start({ 'app.py': 'def handler(event, context):\n    return 1\n' }, 'app.handler');
    const post = await within(Promise.race([f.api.invoke(undefined, { rawBody: '{oops' }), f.runtime.died]), WAIT, 'result');
    expect(post.json).toMatchObject({ errorType: 'Runtime.UnmarshalError' });
    expect((post.json as ErrorBody).errorMessage).toMatch(/^Unable to unmarshal input: Expecting property name/);
  });
});

describe.skipIf(!hasPython)('Python runtime: init errors', () => {
  it('reports a missing module as Runtime.ImportModuleError and exits 1', async () => {
    const f = await start({}, 'app.handler');
    const { body, post, exit } = await initError(f);
    expect(body).toEqual({
      errorMessage: "Unable to import module 'app': No module named 'app'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    expect(post.headers['lambda-runtime-function-error-type']).toBe('Runtime.ImportModuleError');
    expect(exit.code).toBe(1);
    expect(f.api.nextRequests).toBe(0);
    await within(f.runtime.waitForLine(new RegExp(`^\\[WARNING\\]\\t${TS}\\t\\tLAMBDA_WARNING: Unhandled exception\\.`)), WAIT, 'warning');
    await within(f.runtime.waitForLine(/^\[ERROR\] Runtime.ImportModuleError: Unable to import module 'app': No module named 'app'\rTraceback/), WAIT, 'error line');
  });

  it('reports a missing dependency of the module as Runtime.ImportModuleError', async () => {
    const f = await start({ 'app.py': 'import not_installed_anywhere\ndef handler(e, c):\n    return 1\n' }, 'app.handler');
    const { body } = await initError(f);
    expect(body).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Unable to import module 'app': No module named 'not_installed_anywhere'",
    });
  });

  it('reports a missing function as Runtime.HandlerNotFound', async () => {
    const f = await start({ 'app.py': 'def other(e, c):\n    return 1\n' }, 'app.fn');
    const { body, exit } = await initError(f);
    expect(body).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: "Handler 'fn' missing on module 'app'", stackTrace: [] });
    expect(exit.code).toBe(1);
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError', async () => {
    const f = await start({ 'app.py': 'def handler(e, c)\n    return 1\n' }, 'app.handler');
    const { body } = await initError(f);
    expect(body.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(body.errorMessage).toMatch(/^Syntax error in module 'app': .*\(app\.py, line 1\)$/);
    expect(body.stackTrace).toHaveLength(1);
    expect(body.stackTrace[0]).toMatch(/^ {2}File ".*\/app\.py" Line 1\n {4}def handler\(e, c\)/);
  });

  it('reports a handler without a function part as Runtime.MalformedHandlerName', async () => {
    const f = await start({ 'app.py': 'x = 1\n' }, 'app');
    const { body } = await initError(f);
    expect(body).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: "Bad handler 'app': not enough values to unpack (expected 2, got 1)",
    });
  });

  it('reports an exception raised while importing with its type and the user frames', async () => {
    const f = await start({ 'app.py': 'raise RuntimeError("no config")\n' }, 'app.handler');
    const { body, exit } = await initError(f);
    expect(body).toMatchObject({ errorType: 'RuntimeError', errorMessage: 'no config', requestId: '' });
    expect(body.stackTrace.at(-1)).toMatch(/File ".*\/app\.py", line 1, in <module>/);
    expect(exit.code).toBe(1);
  });
});

describe.skipIf(!hasPython)('Python runtime: logging', () => {
  it('formats root logger records as AWS does and leaves print() raw', async () => {
    const f = await start(
      {
        'app.py': py(`
          import logging
          logging.getLogger().warning("importing")
          logger = logging.getLogger("app")
          def handler(event, context):
              print("plain print")
              logger.info("not shown at the default level")
              logger.warning("hello %s", "world")
              logger.error("two\\nlines")
              try:
                  1 / 0
              except ZeroDivisionError:
                  logger.exception("caught")
              return "ok"
        `),
      },
      'app.handler',
    );
    await invoke(f, {}, { requestId: 'req-py-log' });
    const expectLine = (re: string) => within(f.runtime.waitForLine(new RegExp(re)), WAIT, re);
    await expectLine(`^\\[WARNING\\]\\t${TS}\\t\\timporting$`);
    await expectLine('^plain print$');
    await expectLine(`^\\[WARNING\\]\\t${TS}\\treq-py-log\\thello world$`);
    await expectLine(`^\\[ERROR\\]\\t${TS}\\treq-py-log\\ttwo\\rlines$`);
    const exception = await expectLine(`^\\[ERROR\\]\\t${TS}\\treq-py-log\\tcaught\\rTraceback`);
    expect(exception).toMatch(/ZeroDivisionError: division by zero$/);
    expect(f.runtime.stdoutLines.some((l) => l.includes('not shown'))).toBe(false);
  });

  it('sets the root level from AWS_LAMBDA_LOG_LEVEL', async () => {
    const f = await start(
      { 'app.py': 'import logging\ndef handler(e, c):\n    logging.getLogger().debug("dbg")\n    logging.info("info shown")\n    return 1\n' },
      'app.handler',
      { AWS_LAMBDA_LOG_LEVEL: 'INFO' },
    );
    await invoke(f, {}, { requestId: 'req-level' });
    await within(f.runtime.waitForLine(/^\[INFO\]\t.*\treq-level\tinfo shown$/), WAIT, 'info line');
    expect(f.runtime.stdoutLines.some((l) => l.includes('dbg'))).toBe(false);
  });

  it('writes JSON records when AWS_LAMBDA_LOG_FORMAT is JSON', async () => {
    const f = await start(
      { 'app.py': 'import logging\ndef handler(e, c):\n    logging.getLogger("app").warning("hi %s", "there", extra={"orderId": 7})\n    return 1\n' },
      'app.handler',
      { AWS_LAMBDA_LOG_FORMAT: 'JSON' },
    );
    await invoke(f, {}, { requestId: 'req-json' });
    const record = JSON.parse(await within(f.runtime.waitForLine(/"message": "hi there"/), WAIT, 'json line'));
    expect(record).toMatchObject({ level: 'WARNING', message: 'hi there', logger: 'app', requestId: 'req-json', orderId: 7 });
    expect(record.timestamp).toMatch(new RegExp(`^${TS}$`));
  });
});
