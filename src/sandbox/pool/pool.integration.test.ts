/**
 * The pool with real processes: the ProcessLauncher, one HTTP Runtime API per environment, and
 * `provided.al2023` bootstraps written by the test (a Node.js Runtime API client and a bash +
 * curl one), since our own Node.js and Python runtimes are tested with their own code.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { bashBootstrapDir, nodeBootstrapDir } from '../../../test/support/runtimes/bootstraps.js';
import { TEST_HOST, testRequest, testSpec } from '../../../test/support/sandbox/function-spec.js';
import { RecordingLogSink } from '../../../test/support/sandbox/recording-log-sink.js';
import { until, within } from '../../../test/support/wait.js';
import { EnvironmentPool, type EnvironmentChange, type EnvironmentPoolOptions } from './pool.js';
import { ProcessLauncher } from '../process-launcher.js';
import type { FunctionSpec, InvokeResult } from '../types.js';

const dirs: string[] = [];
let nodeDir: string;
let bashDir: string;
beforeAll(async () => {
  nodeDir = await nodeBootstrapDir();
  bashDir = await bashBootstrapDir();
  dirs.push(nodeDir, bashDir);
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

let seq = 0;
function spec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  const name = `fn${++seq}`;
  return testSpec({ functionName: name, key: `${name}:$LATEST:r1`, codeDir: nodeDir, logGroupName: `/aws/lambda/${name}`, ...overrides });
}

function makePool(options: Partial<EnvironmentPoolOptions> = {}) {
  const sink = new RecordingLogSink();
  const changes: EnvironmentChange[] = [];
  const listeners: ((c: EnvironmentChange) => void)[] = [];
  const pool = new EnvironmentPool({
    launcher: new ProcessLauncher(),
    host: TEST_HOST,
    logSink: sink,
    clock: systemClock,
    logger: silentLogger,
    onEnvironmentChange: (c) => {
      changes.push(c);
      listeners.forEach((l) => l(c));
    },
    ...options,
  });
  /** Resolves at the first change (already seen or future) matching. */
  const changeTo = (to: string, key?: string) =>
    new Promise<EnvironmentChange>((resolve) => {
      const hit = (c: EnvironmentChange) => c.to === to && (!key || c.functionKey === key);
      const seen = changes.find(hit);
      if (seen) return resolve(seen);
      listeners.push((c) => hit(c) && resolve(c));
    });
  return { pool, sink, changes, changeTo };
}

const body = (r: InvokeResult) => JSON.parse(r.payload.toString()) as Record<string, unknown>;

describe('EnvironmentPool with real runtimes', () => {
  const { pool, sink, changeTo } = makePool();
  afterAll(() => within(pool.drain(), 10_000, 'drain'));

  it('runs a cold then warm invocation in the same process, with the Lambda environment', async () => {
    const s = spec({ timeout: 5, environment: { GREETING: 'hi' } });
    const before = Date.now();
    const request = testRequest({ n: 1 }, { traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1' });
    const cold = await pool.invoke(s, request);
    const warm = await pool.invoke(s, testRequest({ n: 2 }));
    const c = body(cold);
    const env = c.env as Record<string, string>;
    expect(cold.functionError).toBeUndefined();
    expect(c.event).toEqual({ n: 1 });
    expect(c.requestId).toBe(request.requestId);
    expect(c.invokedFunctionArn).toBe(request.invokedFunctionArn);
    expect(c.traceId).toBe(request.traceId);
    expect(c.deadlineMs as number).toBeGreaterThanOrEqual(before + 5000);
    expect(c.deadlineMs as number).toBeLessThanOrEqual(Date.now() + 5000);
    expect(body(warm).pid).toBe(c.pid);
    expect(cold.initDurationMs).toBeGreaterThan(0);
    expect(warm.initDurationMs).toBeUndefined();
    expect(env).toMatchObject({ GREETING: 'hi', AWS_LAMBDA_FUNCTION_NAME: s.functionName, _HANDLER: 'function.handler', LAMBDA_TASK_ROOT: nodeDir, TZ: ':UTC' });
    expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(env.HOME).toBeUndefined();
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(cold.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(warm.billedDurationMs).toBe(Math.max(1, Math.ceil(warm.durationMs)));
  });

  it('runs overlapping invocations in two environments', async () => {
    const s = spec();
    const [a, b] = await Promise.all([pool.invoke(s, testRequest({ action: 'sleep', ms: 300 })), pool.invoke(s, testRequest({ action: 'sleep', ms: 300 }))]);
    expect(body(a).pid).not.toBe(body(b).pid);
  });

  it('returns a handler error as the runtime posted it', async () => {
    const r = await pool.invoke(spec(), testRequest({ action: 'error' }));
    expect(r.functionError).toBe('Unhandled');
    expect(body(r)).toEqual({ errorMessage: 'boom', errorType: 'Error', stackTrace: ['at handler'] });
  });

  it('times out after the function timeout, kills the runtime, and starts fresh next time', async () => {
    const s = spec({ timeout: 1 });
    const first = await pool.invoke(s, testRequest());
    const timedOut = await pool.invoke(s, testRequest({ action: 'sleep', ms: 5000 }));
    expect(timedOut.functionError).toBe('Unhandled');
    expect(body(timedOut)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) as unknown,
    });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(1000);
    expect(timedOut.durationMs).toBeLessThan(2000);
    const after = await pool.invoke(s, testRequest());
    expect(body(after).pid).not.toBe(body(first).pid);
    // Killed at the timeout; reaped a moment later (a zombie still answers kill 0), so wait for it.
    await until(() => !alive(body(first).pid as number), 5000, 'the timed-out runtime to be reaped');
  });

  it('reports a runtime that exits during an invocation as Runtime.ExitError, then starts fresh', async () => {
    const s = spec();
    const first = await pool.invoke(s, testRequest());
    const request = testRequest({ action: 'exit', code: 1 });
    const r = await pool.invoke(s, request);
    expect(r.functionError).toBe('Unhandled');
    expect(body(r)).toEqual({
      errorMessage: `RequestId: ${request.requestId} Error: Runtime exited with error: exit status 1`,
      errorType: 'Runtime.ExitError',
    });
    expect(body(await pool.invoke(s, testRequest())).pid).not.toBe(body(first).pid);
    const lines = sink.messages();
    expect(lines.indexOf('exiting with 1')).toBeLessThan(lines.indexOf(`END RequestId: ${request.requestId}`));
  });

  it('returns the init error the runtime posted, with the init output in the tail', async () => {
    const s = spec({ environment: { MODE: 'init-error' } });
    const r = await pool.invoke(s, testRequest({}, { tail: true }));
    expect(r.functionError).toBe('Unhandled');
    expect(body(r)).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'index'" });
    const tail = Buffer.from(r.logResult!, 'base64').toString();
    expect(tail).toContain('Error: Cannot find module index');
    expect(tail).toContain('INIT_REPORT Init Duration');
    expect(tail).toMatch(/END RequestId: .*\nREPORT RequestId: /);
    const again = await pool.invoke(s, testRequest());
    expect(again.functionError).toBe('Unhandled');
  });

  it('reports a runtime that exits during init as Runtime.ExitError', async () => {
    const request = testRequest();
    const r = await pool.invoke(spec({ environment: { MODE: 'init-exit' } }), request);
    expect(body(r)).toEqual({
      errorMessage: `RequestId: ${request.requestId} Error: Runtime exited with error: exit status 2`,
      errorType: 'Runtime.ExitError',
    });
  });

  it('reports a missing bootstrap as Runtime.InvalidEntrypoint', async () => {
    const r = await pool.invoke(spec({ codeDir: '/nonexistent-nimbus-code' }), testRequest());
    expect(body(r)).toMatchObject({ errorType: 'Runtime.InvalidEntrypoint' });
    expect(body(r).errorMessage).toContain("Couldn't find valid bootstrap(s): [/nonexistent-nimbus-code/bootstrap]");
  });

  it('fails a response over 6 MB with Function.ResponseSizeTooLarge; the runtime is told 413 and goes on', async () => {
    const s = spec({ timeout: 10 });
    const first = await pool.invoke(s, testRequest());
    const r = await pool.invoke(s, testRequest({ action: 'big', size: 6_291_556 }));
    expect(r.functionError).toBe('Unhandled');
    expect(body(r)).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    await within(sink.waitFor('big response answered 413'), 5000, 'the runtime to see 413');
    expect(body(await pool.invoke(s, testRequest())).pid).toBe(body(first).pid);
  });

  it('returns the invocation log as a tail, START to REPORT, with the function output', async () => {
    const s = spec();
    await pool.invoke(s, testRequest());
    const request = testRequest({ action: 'log' }, { tail: true });
    const r = await pool.invoke(s, request);
    const tail = Buffer.from(r.logResult!, 'base64').toString();
    const id = request.requestId;
    expect(tail.startsWith(`START RequestId: ${id} Version: $LATEST\n`)).toBe(true);
    expect(tail).toContain('hello from the function\n');
    expect(tail).toContain('and from stderr\n');
    expect(tail).toContain('no newline at the end\n');
    expect(tail).toMatch(new RegExp(`END RequestId: ${id}\\nREPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t\\n$`));
    expect(tail.indexOf('no newline at the end')).toBeLessThan(tail.indexOf('END RequestId'));
    const stream = sink.events.find((e) => e.message === 'hello from the function')!;
    expect(stream.logGroupName).toBe(s.logGroupName);
    expect(stream.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('does not let an environment answer for a request id it was not given (400)', async () => {
    const s = spec();
    const victim = testRequest({ action: 'sleep', ms: 500 });
    const slow = pool.invoke(s, victim);
    const forger = await pool.invoke(s, testRequest({ action: 'forge', otherId: victim.requestId }));
    expect(body(forger)).toEqual({ status: 400, body: { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' } });
    expect(body(await slow)).toMatchObject({ slept: 500 });
  });

  it('retires environments of an updated function', async () => {
    const s = spec();
    const before = body(await pool.invoke(s, testRequest())).pid as number;
    const stopped = changeTo('Stopped', s.key);
    await pool.retire((x) => x.functionName === s.functionName);
    await within(stopped, 5000, 'the old environment to stop');
    expect(() => process.kill(before, 0)).toThrow();
    const updated = { ...s, key: `${s.functionName}:$LATEST:r2` };
    expect(body(await pool.invoke(updated, testRequest())).pid).not.toBe(before);
  });

  it('runs a bash + curl bootstrap, warm', async () => {
    const s = spec({ codeDir: bashDir });
    const first = await pool.invoke(s, testRequest({ hello: 'bash' }));
    const second = await pool.invoke(s, testRequest({ again: true }));
    expect(first.functionError).toBeUndefined();
    expect(body(first).event).toEqual({ hello: 'bash' });
    expect(body(second).pid).toBe(body(first).pid);
    expect(body(second).event).toEqual({ again: true });
  });
});

describe('EnvironmentPool lifecycle with real runtimes', () => {
  it('reclaims an idle environment after keep-alive', async () => {
    const { pool, changeTo } = makePool({ keepAliveMs: 150 });
    const s = spec();
    const pid = body(await pool.invoke(s, testRequest())).pid as number;
    await within(changeTo('Stopped', s.key), 5000, 'keep-alive reclaim');
    expect(() => process.kill(pid, 0)).toThrow();
    expect(pool.stats().byState.Idle).toBe(0);
    await within(pool.drain(), 5000, 'drain');
    expect(pool.stats().total).toBe(0);
  });

  it('drains: waits for the running invocation, then stops everything', async () => {
    const { pool } = makePool();
    const idle = spec();
    await pool.invoke(idle, testRequest());
    const running = pool.invoke(spec(), testRequest({ action: 'sleep', ms: 300 }));
    await new Promise((resolve) => setImmediate(resolve));
    const drained = pool.drain();
    await expect(pool.invoke(idle, testRequest())).rejects.toMatchObject({ kind: 'draining' });
    const r = await running;
    expect(body(r)).toMatchObject({ slept: 300 });
    await within(drained, 5000, 'drain');
    expect(pool.stats().total).toBe(0);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
