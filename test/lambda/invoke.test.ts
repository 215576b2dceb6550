/**
 * Invoke through the real SDK into real execution environments: our Node.js and Python
 * runtimes, a bash `provided` bootstrap, and every failure Lambda reports as a result.
 */
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip, type ZipEntry } from '../support/zip.js';

let nimbus: NimbusProcess;

beforeAll(async () => {
  nimbus = await startNimbus();
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

async function deploy(name: string, runtime: string, handler: string, files: Record<string, string> | ZipEntry[], extra: Record<string, unknown> = {}) {
  await nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as any, Handler: handler, Role: ROLE, Code: { ZipFile: await makeZip(files) }, ...extra }),
  );
}

async function invoke(name: string, payload: unknown = {}, extra: Record<string, unknown> = {}) {
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return { ...out, text, json: text ? JSON.parse(text) : undefined };
}

async function failure(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err: any) {
    return { name: err.name as string, status: err.$metadata?.httpStatusCode as number, message: err.message as string };
  }
  throw new Error('expected the call to fail');
}

describe('Node.js runtime', () => {
  beforeAll(async () => {
    await deploy('node-hello', 'nodejs20.x', 'index.handler', {
      'index.js': `
        let count = 0;
        exports.handler = async (event, context) => {
          count++;
          console.log('hello from', context.functionName);
          return {
            event, count, pid: process.pid,
            requestId: context.awsRequestId,
            arn: context.invokedFunctionArn,
            remaining: context.getRemainingTimeInMillis(),
            clientContext: context.clientContext ?? null,
            env: Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(AWS_|_HANDLER|LAMBDA_|TZ|LANG|GREETING|_X_AMZN)/.test(k))),
          };
        };`,
    }, { Environment: { Variables: { GREETING: 'hi' } }, Timeout: 7 });
  });

  it('runs the handler, then reuses the warm environment', async () => {
    const first = await invoke('node-hello', { n: 1 });
    expect(first.StatusCode).toBe(200);
    expect(first.ExecutedVersion).toBe('$LATEST');
    expect(first.FunctionError).toBeUndefined();
    expect(first.json).toMatchObject({ event: { n: 1 }, count: 1, arn: 'arn:aws:lambda:us-east-1:000000000000:function:node-hello' });
    expect(first.json.remaining).toBeGreaterThan(5000);
    expect(first.json.remaining).toBeLessThanOrEqual(7000);
    const second = await invoke('node-hello', { n: 2 });
    expect(second.json).toMatchObject({ count: 2, pid: first.json.pid });
    expect(second.json.requestId).not.toBe(first.json.requestId);
  });

  it('gives the function the standard Lambda environment and nothing of the server', async () => {
    const { json } = await invoke('node-hello');
    expect(json.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'node-hello',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/node-hello',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      _HANDLER: 'index.handler',
      GREETING: 'hi',
      AWS_ENDPOINT_URL: nimbus.url.replace('127.0.0.1', '127.0.0.1'),
    });
    expect(json.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(json.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(json.env.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(json.env.AWS_SESSION_TOKEN).toBe(''); // set, as Lambda sets it; empty until roles exist
    expect(json.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-/);
    expect(json.env).not.toHaveProperty('NIMBUS_SECRET_ACCESS_KEY');
  });

  it('gives a sampled invocation a Parent segment in _X_AMZN_TRACE_ID even with no span exporter', async () => {
    const root = '1-5759e988-bd862e3fe1be46a994272793';
    const command = new InvokeCommand({ FunctionName: 'node-hello', Payload: Buffer.from('{}') });
    command.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amzn-trace-id'] = `Root=${root};Sampled=1`;
        return next(args);
      },
      { step: 'build', name: 'traceHeader' },
    );
    const out = await nimbus.lambda.send(command);
    const json = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    expect(json.env._X_AMZN_TRACE_ID).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    const unsampled = await invoke('node-hello');
    expect(unsampled.json.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
  });

  it('passes ClientContext through', async () => {
    const ctx = { custom: { k: 'v' }, env: { platform: 'test' } };
    const { json } = await invoke('node-hello', {}, { ClientContext: Buffer.from(JSON.stringify(ctx)).toString('base64') });
    expect(json.clientContext).toMatchObject({ custom: { k: 'v' } });
  });

  it('returns the last 4 KB of the log with LogType Tail', async () => {
    const out = await invoke('node-hello', {}, { LogType: 'Tail' });
    const log = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    expect(log).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(log).toContain('hello from node-hello');
    expect(log).toMatch(/END RequestId: /);
    expect(log).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/);
  });

  it('answers DryRun with 204 without running anything', async () => {
    const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'node-hello', InvocationType: 'DryRun' }));
    expect(out.StatusCode).toBe(204);
  });

  it('runs overlapping invokes in separate environments', async () => {
    await deploy('node-slow', 'nodejs20.x', 'index.handler', {
      // An id per environment: sandboxed runtimes all have the same pid in their own PID namespace.
      'index.js': 'const id = require("crypto").randomUUID(); exports.handler = async () => { await new Promise(r => setTimeout(r, 300)); return id; };',
    });
    const pids = await Promise.all([1, 2, 3].map(() => invoke('node-slow').then((r) => r.json)));
    expect(new Set(pids).size).toBe(3);
  });

  it('runs ES module handlers', async () => {
    await deploy('node-esm', 'nodejs22.x', 'app.handler', { 'app.mjs': 'export const handler = async (e) => ({ esm: true, e });' });
    expect((await invoke('node-esm', { x: 1 })).json).toEqual({ esm: true, e: { x: 1 } });
  });

  it('reports a thrown error as Unhandled with the runtime error shape', async () => {
    await deploy('node-throws', 'nodejs20.x', 'index.handler', {
      'index.js': "exports.handler = async () => { class BadThing extends Error { constructor(m) { super(m); this.name = 'BadThing'; } } throw new BadThing('it broke'); };",
    });
    const out = await invoke('node-throws');
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json).toMatchObject({ errorType: 'BadThing', errorMessage: 'it broke' });
    expect(Array.isArray(out.json.trace)).toBe(true);
  });

  it('times out with Sandbox.Timedout, then serves the next invoke from a fresh environment', async () => {
    await deploy('node-timeout', 'nodejs20.x', 'index.handler', {
      'index.js': 'const id = require("crypto").randomUUID(); exports.handler = async (e) => { if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return id; };',
    }, { Timeout: 1 });
    const before = (await invoke('node-timeout')).json;
    const out = await invoke('node-timeout', { hang: true });
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json.errorType).toBe('Sandbox.Timedout');
    expect(out.json.errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
    const after = (await invoke('node-timeout')).json;
    expect(after).not.toBe(before);
  });

  it('reports a runtime that exits as Runtime.ExitError and recovers', async () => {
    await deploy('node-exit', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async (e) => { if (e.exit) process.exit(3); return "alive"; };',
    });
    const out = await invoke('node-exit', { exit: true });
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json.errorType).toBe('Runtime.ExitError');
    expect(out.json.errorMessage).toMatch(/Runtime exited with error: exit status 3/);
    expect((await invoke('node-exit')).json).toBe('alive');
  });

  it('refuses a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    await deploy('node-big', 'nodejs20.x', 'index.handler', { 'index.js': "exports.handler = async () => 'x'.repeat(7 * 1024 * 1024);" });
    const out = await invoke('node-big');
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json.errorType).toBe('Function.ResponseSizeTooLarge');
  });

  it("returns the runtime's init error when the handler cannot load", async () => {
    await deploy('node-missing', 'nodejs20.x', 'nothere.handler', { 'index.js': 'exports.handler = async () => 1;' });
    const out = await invoke('node-missing');
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json.errorType).toBe('Runtime.ImportModuleError');
    await deploy('node-nohandler', 'nodejs20.x', 'index.nope', { 'index.js': 'exports.handler = async () => 1;' });
    expect((await invoke('node-nohandler')).json.errorType).toBe('Runtime.HandlerNotFound');
  });

  it('runs the new configuration after an update', async () => {
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'node-hello', Environment: { Variables: { GREETING: 'updated' } } }));
    expect((await invoke('node-hello')).json.env.GREETING).toBe('updated');
  });

  it('stores START, output, END and REPORT lines in /aws/lambda/NAME', async () => {
    const out = await nimbus.logsClient.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/node-hello' }));
    const messages = (out.events ?? []).map((e) => e.message ?? '');
    expect(messages.some((m) => m.startsWith('START RequestId:'))).toBe(true);
    expect(messages.some((m) => m.includes('hello from node-hello'))).toBe(true);
    expect(messages.some((m) => m.startsWith('END RequestId:'))).toBe(true);
    const report = messages.find((m) => m.startsWith('REPORT RequestId:') && m.includes('Init Duration'));
    expect(report).toMatch(/Init Duration: [\d.]+ ms/);
  });
});

describe('LoggingConfig', () => {
  it('makes the runtime write JSON records filtered by ApplicationLogLevel', async () => {
    await deploy(
      'json-logs',
      'nodejs20.x',
      'index.handler',
      { 'index.js': "exports.handler = async () => { console.info('quiet info'); console.warn('loud warning'); return 1; };" },
      { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } },
    );
    const out = await invoke('json-logs', {}, { LogType: 'Tail' });
    const tail = Buffer.from(out.LogResult!, 'base64').toString();
    expect(tail).not.toContain('quiet info');
    const record = JSON.parse(tail.split('\n').find((l) => l.includes('loud warning'))!);
    expect(record).toMatchObject({ level: 'WARN', message: 'loud warning', requestId: out.$metadata.requestId });
    // Platform lines become records too: platform.start and platform.report, no START/END/REPORT.
    const records = tail.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    // A cold start: the init phase's record comes first.
    expect(records[0]).toMatchObject({
      type: 'platform.initStart',
      record: { initializationType: 'on-demand', phase: 'init', runtimeVersion: 'nimbus:nodejs20.x', runtimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:nimbus-nodejs20.x' },
    });
    expect(records.find((r) => r.type === 'platform.start')?.record).toEqual({ requestId: out.$metadata.requestId, version: '$LATEST' });
    expect(records.find((r) => r.type === 'platform.report')?.record).toMatchObject({
      requestId: out.$metadata.requestId,
      status: 'success',
      metrics: { memorySizeMB: 128 },
    });
    expect(tail).not.toMatch(/^(START|END|REPORT) RequestId/m);
    const config = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'json-logs' }));
    expect(config.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO' });
  });

  it('leaves out platform.start and platform.report under SystemLogLevel WARN, keeps them under DEBUG', async () => {
    const code = { 'index.js': "exports.handler = async () => { console.warn('still here'); return 1; };" };
    const tailOf = async (name: string) => Buffer.from((await invoke(name, {}, { LogType: 'Tail' })).LogResult!, 'base64').toString();
    await deploy('system-warn', 'nodejs20.x', 'index.handler', code, { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } });
    const quiet = await tailOf('system-warn');
    expect(quiet).toContain('still here');
    expect(quiet).not.toContain('platform.start');
    expect(quiet).not.toContain('platform.initStart');
    expect(quiet).not.toContain('platform.report');
    await deploy('system-debug', 'nodejs20.x', 'index.handler', code, { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'DEBUG' } });
    const chatty = await tailOf('system-debug');
    expect(chatty).toContain('"type":"platform.start"');
    expect(chatty).toContain('"type":"platform.report"');
    // Changing the level applies from the next invocation on.
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'system-debug', LoggingConfig: { SystemLogLevel: 'WARN' } }));
    expect(await tailOf('system-debug')).not.toContain('platform.report');
  });

  it('refuses log levels with the Text format', async () => {
    const err = await failure(() =>
      deploy('text-levels', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => 1;' }, { LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'WARN' } }),
    );
    expect(err.name).toBe('InvalidParameterValueException');
  });
});

describe('Python runtime', () => {
  it('runs a module.function handler with the context object', async () => {
    await deploy('py-hello', 'python3.12', 'app.handler', {
      'app.py': [
        'import os',
        'def handler(event, context):',
        '    print("hello from python")',
        '    return {"event": event, "name": context.function_name, "remaining": context.get_remaining_time_in_millis(),',
        '            "exec_env": os.environ["AWS_EXECUTION_ENV"]}',
      ].join('\n'),
    });
    const out = await invoke('py-hello', { a: 1 }, { LogType: 'Tail' });
    expect(out.FunctionError).toBeUndefined();
    expect(out.json).toMatchObject({ event: { a: 1 }, name: 'py-hello', exec_env: 'AWS_Lambda_python3.12' });
    expect(Buffer.from(out.LogResult!, 'base64').toString()).toContain('hello from python');
  });

  it('reports exceptions in the Python error shape', async () => {
    await deploy('py-raise', 'python3.11', 'app.handler', { 'app.py': 'def handler(event, context):\n    raise ValueError("bad value")\n' });
    const out = await invoke('py-raise');
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json).toMatchObject({ errorType: 'ValueError', errorMessage: 'bad value' });
    expect(Array.isArray(out.json.stackTrace)).toBe(true);
  });
});

describe('provided runtime', () => {
  it('runs a bash bootstrap that speaks the Runtime API with curl', async () => {
    const bootstrap = [
      '#!/bin/bash',
      'set -euo pipefail',
      'API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"',
      'while true; do',
      '  HEADERS="$(mktemp)"',
      '  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")',
      "  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$HEADERS\" | tr -d '[:space:]' | cut -d: -f2)",
      '  echo "got event $EVENT"',
      '  curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"echo\\": $EVENT, \\"handler\\": \\"$_HANDLER\\"}" > /dev/null',
      'done',
    ].join('\n');
    await deploy('bash-fn', 'provided.al2023', 'function.handler', [{ name: 'bootstrap', content: bootstrap, mode: 0o755 }]);
    const out = await invoke('bash-fn', { hi: 'there' }, { LogType: 'Tail' });
    expect(out.FunctionError).toBeUndefined();
    expect(out.json).toEqual({ echo: { hi: 'there' }, handler: 'function.handler' });
    expect(Buffer.from(out.LogResult!, 'base64').toString()).toContain('got event {"hi":"there"}');
    expect((await invoke('bash-fn', [1, 2])).json.echo).toEqual([1, 2]);
  });
});

describe('Invoke request errors', () => {
  it('refuses an event that is not JSON', async () => {
    const err = await failure(() => nimbus.lambda.send(new InvokeCommand({ FunctionName: 'node-hello', Payload: Buffer.from('{not json') })));
    expect(err).toMatchObject({ name: 'InvalidRequestContentException', status: 400 });
  });

  it('refuses a payload over 6 MB with 413', async () => {
    const err = await failure(() =>
      nimbus.lambda.send(new InvokeCommand({ FunctionName: 'node-hello', Payload: Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024 + 10))) })),
    );
    expect(err).toMatchObject({ name: 'RequestEntityTooLargeException', status: 413 });
  });

  it('answers 404 for an unknown function or qualifier', async () => {
    expect((await failure(() => invoke('nobody'))).status).toBe(404);
    expect((await failure(() => invoke('node-hello', {}, { Qualifier: '3' }))).name).toBe('ResourceNotFoundException');
  });
});
