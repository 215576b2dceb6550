import { describe, expect, it } from 'vitest';
import { findRuntime } from '../../runtimes/catalogue.js';
import { silentLogger } from '../../shared/logger.js';
import { FakeLauncher, type FakeProcess } from '../../../test/support/sandbox/fake-launcher.js';
import { TEST_HOST, testRequest, testSpec } from '../../../test/support/sandbox/function-spec.js';
import { InMemoryTransport, json, type FakeRuntimeApi } from '../../../test/support/sandbox/in-memory-transport.js';
import { ManualTime } from '../../../test/support/sandbox/manual-time.js';
import { RecordingLogSink } from '../../../test/support/sandbox/recording-log-sink.js';
import { turn } from '../../../test/support/wait.js';
import type { EnvironmentState } from './environment-state.js';
import { Environment } from './environment.js';
import type { FunctionSpec, InvokeRequest } from '../types.js';

function setup(overrides: Partial<FunctionSpec> = {}) {
  const time = new ManualTime();
  const launcher = new FakeLauncher();
  const transport = new InMemoryTransport();
  const sink = new RecordingLogSink();
  const moves: string[] = [];
  const spec = testSpec(overrides);
  const env = new Environment(spec, findRuntime(spec.runtime)!, {
    launcher,
    transport,
    host: TEST_HOST,
    logSink: sink,
    clock: time,
    timers: time,
    logger: silentLogger,
    initTimeoutMs: 10_000,
    onStateChange: (_e, from, to) => moves.push(`${from}>${to}`),
  });
  /** Starts the environment and returns its process and Runtime API, as the runtime sees them. */
  const start = async (): Promise<{ proc: FakeProcess; api: FakeRuntimeApi }> => {
    const launched = launcher.nextLaunch();
    env.start();
    const proc = await launched;
    return { proc, api: transport.api(proc.runtimeApi) };
  };
  /** A cold invocation up to the moment the runtime holds the event. */
  const coldInvoke = async (request: InvokeRequest = testRequest({ hello: 'world' })) => {
    const { proc, api } = await start();
    const result = env.invoke(request);
    const event = await api.next();
    return { proc, api, result, event, request };
  };
  return { time, launcher, transport, sink, env, spec, moves, start, coldInvoke };
}

const state = (env: Environment): EnvironmentState => env.state;

describe('Environment', () => {
  it('runs a cold invocation: init, event with Lambda-Runtime-* headers, response, START/END/REPORT', async () => {
    const t = setup({ timeout: 3 });
    const { proc } = await t.start();
    expect(state(t.env)).toBe('Initializing');
    expect(proc.spec.argv).toEqual(['/code/bootstrap']);
    expect(proc.spec.cwd).toBe('/code');
    const request = testRequest({ hello: 'world' }, { traceId: 'Root=1-abc', clientContext: '{"custom":{"a":"é"}}' });
    const result = t.env.invoke(request);
    t.time.advance(95);
    const api = t.transport.api(proc.runtimeApi);
    const event = await api.next();
    expect(state(t.env)).toBe('Busy');
    expect(event.status).toBe(200);
    expect(event.body.toString()).toBe('{"hello":"world"}');
    expect(event.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': request.requestId,
      'Lambda-Runtime-Deadline-Ms': String(t.time.now() + 3000),
      'Lambda-Runtime-Invoked-Function-Arn': request.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': 'Root=1-abc',
      'Lambda-Runtime-Client-Context': '{"custom":{"a":"\\u00e9"}}',
    });
    expect(event.headers).not.toHaveProperty('Lambda-Runtime-Cognito-Identity');

    proc.stdout.write('hello from the handler\n');
    t.time.advance(12.5);
    const accepted = api.postResponse(request.requestId, '"done"');
    expect(accepted.status).toBe(202);
    expect(json(accepted)).toEqual({ status: 'OK' });
    expect(state(t.env)).toBe('Finishing');

    const r = await result;
    expect(r).toMatchObject({ payload: Buffer.from('"done"'), durationMs: 12.5, billedDurationMs: 13, initDurationMs: 95, maxMemoryUsedMb: 42 });
    expect(r?.functionError).toBeUndefined();
    const lines = t.sink.messages(t.env.logStreamName);
    expect(lines).toEqual([
      // The init phase begins with the runtime version, as Lambda's does.
      'INIT_START Runtime Version: nimbus:provided.al2023\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:nimbus-provided.al2023',
      `START RequestId: ${request.requestId} Version: $LATEST`,
      'hello from the handler',
      `END RequestId: ${request.requestId}`,
      `REPORT RequestId: ${request.requestId}\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 42 MB\tInit Duration: 95.00 ms\t`,
    ]);
    expect(t.sink.events.every((e) => e.logGroupName === '/aws/lambda/fn')).toBe(true);
    expect(t.env.logStreamName).toMatch(/^2024\/01\/15\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('gives the runtime the complete Lambda environment, pointing at its own endpoint', async () => {
    const t = setup();
    const { proc } = await t.start();
    expect(proc.spec.env.AWS_LAMBDA_RUNTIME_API).toBe(proc.runtimeApi);
    expect(proc.spec.env.AWS_LAMBDA_LOG_STREAM_NAME).toBe(t.env.logStreamName);
    expect(proc.spec.env._HANDLER).toBe('function.handler');
  });

  it('reuses a warm environment: the next invocation goes to the parked GET /next, no Init Duration', async () => {
    const t = setup();
    const first = await t.coldInvoke();
    first.api.postResponse(first.request.requestId, '1');
    await first.result;
    const parked = first.api.next();
    expect(state(t.env)).toBe('Idle');
    const second = testRequest({ n: 2 });
    const result = t.env.invoke(second);
    expect(state(t.env)).toBe('Busy');
    const event = await parked;
    expect(event.headers['Lambda-Runtime-Aws-Request-Id']).toBe(second.requestId);
    first.api.postResponse(second.requestId, '2');
    const r = await result;
    expect(r?.payload.toString()).toBe('2');
    expect(r?.initDurationMs).toBeUndefined();
    expect(t.launcher.launched).toHaveLength(1);
    expect(t.sink.messages().filter((m) => m.startsWith('REPORT')).at(-1)).not.toContain('Init Duration');
  });

  it('reserves a Finishing environment and delivers when the runtime comes back to GET /next', async () => {
    const t = setup();
    const first = await t.coldInvoke();
    first.api.postResponse(first.request.requestId, '1');
    await first.result;
    expect(state(t.env)).toBe('Finishing');
    const second = testRequest();
    const result = t.env.invoke(second);
    expect(state(t.env)).toBe('Reserved');
    const event = await first.api.next();
    expect(state(t.env)).toBe('Busy');
    expect(event.headers['Lambda-Runtime-Aws-Request-Id']).toBe(second.requestId);
    first.api.postResponse(second.requestId, '2');
    expect((await result)?.payload.toString()).toBe('2');
  });

  it('returns a handler error as the runtime posted it, with functionError Unhandled', async () => {
    const t = setup();
    const { api, request, result } = await t.coldInvoke();
    const body = '{"errorMessage":"boom","errorType":"Error","stackTrace":["at x"]}';
    expect(api.postError(request.requestId, body, 'Runtime.UnhandledError').status).toBe(202);
    const r = await result;
    expect(r?.functionError).toBe('Unhandled');
    expect(r?.payload.toString()).toBe(body);
    expect(state(t.env)).toBe('Finishing');
  });

  it('wraps an error body that is not JSON', async () => {
    const t = setup();
    const { api, request, result } = await t.coldInvoke();
    api.postError(request.requestId, 'something broke', 'MyError');
    expect(JSON.parse((await result)!.payload.toString())).toEqual({ errorMessage: 'something broke', errorType: 'MyError' });
  });

  it('times out: Sandbox.Timedout, the process tree is killed, the environment is discarded', async () => {
    const t = setup({ timeout: 3 });
    const { proc, request, result } = await t.coldInvoke();
    t.time.advance(2999);
    expect(state(t.env)).toBe('Busy');
    t.time.advance(1);
    expect(state(t.env)).toBe('Failed');
    const r = await result;
    expect(r?.functionError).toBe('Unhandled');
    expect(JSON.parse(r!.payload.toString())).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${request.requestId} Error: Task timed out after 3.00 seconds`,
    });
    expect(r?.durationMs).toBe(3000);
    expect(proc.signals).toContain('SIGKILL');
    await t.env.terminated;
    expect(t.transport.api(proc.runtimeApi).closed).toBe(true);
    expect(t.sink.messages().some((m) => m.endsWith(`${request.requestId} Task timed out after 3.00 seconds`))).toBe(true);
  });

  it('reports a runtime that exits during an invocation as Runtime.ExitError', async () => {
    const t = setup();
    const { proc, request, result } = await t.coldInvoke();
    proc.stderr.write('fatal: something\n');
    proc.exit({ code: 1, signal: null });
    const r = await result;
    expect(r?.functionError).toBe('Unhandled');
    expect(JSON.parse(r!.payload.toString())).toEqual({
      errorMessage: `RequestId: ${request.requestId} Error: Runtime exited with error: exit status 1`,
      errorType: 'Runtime.ExitError',
    });
    expect(state(t.env)).toBe('Failed');
    const lines = t.sink.messages();
    expect(lines.indexOf('fatal: something')).toBeLessThan(lines.indexOf(`END RequestId: ${request.requestId}`));
    expect(lines).toContain('Runtime.ExitError');
  });

  it('names the signal when the runtime is killed', async () => {
    const t = setup();
    const { proc, request, result } = await t.coldInvoke();
    proc.exit({ code: null, signal: 'SIGKILL' });
    expect(JSON.parse((await result)!.payload.toString()).errorMessage).toBe(
      `RequestId: ${request.requestId} Error: Runtime exited with error: signal: killed`,
    );
  });

  it('fails the waiting invocation when the runtime exits during init', async () => {
    const t = setup();
    const { proc } = await t.start();
    const request = testRequest();
    const result = t.env.invoke(request);
    proc.exit({ code: 0, signal: null });
    const r = await result;
    expect(JSON.parse(r!.payload.toString())).toEqual({
      errorMessage: `RequestId: ${request.requestId} Error: Runtime exited without providing a reason`,
      errorType: 'Runtime.ExitError',
    });
    expect(state(t.env)).toBe('Failed');
  });

  it('reports a bootstrap that cannot be executed as Runtime.InvalidEntrypoint', async () => {
    const t = setup();
    const { proc } = await t.start();
    const request = testRequest();
    const result = t.env.invoke(request);
    proc.exit({ code: null, signal: null, error: 'ENOENT' });
    expect(JSON.parse((await result)!.payload.toString())).toEqual({
      errorMessage: `RequestId: ${request.requestId} Error: Couldn't find valid bootstrap(s): [/code/bootstrap]`,
      errorType: 'Runtime.InvalidEntrypoint',
    });
  });

  it('returns the init error the runtime posted and discards the environment', async () => {
    const t = setup();
    const { proc, api } = await t.start();
    const request = testRequest();
    const result = t.env.invoke(request);
    proc.stderr.write('Cannot find module\n');
    const body = '{"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module \'index\'"}';
    expect(api.postInitError(body, 'Runtime.ImportModuleError').status).toBe(202);
    expect(state(t.env)).toBe('Failed');
    const r = await result;
    expect(r?.functionError).toBe('Unhandled');
    expect(r?.payload.toString()).toBe(body);
    expect(r?.initDurationMs).toBeDefined();
    expect(t.sink.messages().some((m) => /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError$/.test(m))).toBe(true);
    expect(proc.signals).toContain('SIGKILL');
  });

  it('fails init after the init timeout', async () => {
    const t = setup();
    await t.start();
    const request = testRequest();
    const result = t.env.invoke(request);
    t.time.advance(9_999);
    expect(state(t.env)).toBe('Initializing');
    t.time.advance(1);
    expect(state(t.env)).toBe('Failed');
    expect(JSON.parse((await result)!.payload.toString())).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${request.requestId} Error: Init phase timed out after 10.00 seconds`,
    });
    expect(t.sink.messages()).toContain('INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout');
  });

  it('fails a response over 6 MB with Function.ResponseSizeTooLarge and tells the runtime 413', async () => {
    const t = setup();
    const { api, request, result } = await t.coldInvoke();
    const reply = api.postResponse(request.requestId, '', { tooLarge: true });
    expect(reply.status).toBe(413);
    expect(json(reply)).toEqual({ errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' });
    const r = await result;
    expect(r?.functionError).toBe('Unhandled');
    expect(JSON.parse(r!.payload.toString())).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    expect(state(t.env)).toBe('Finishing');
  });

  it('refuses a request id it did not hand out (400) before checking the state (403)', async () => {
    const t = setup();
    const { api, request, result } = await t.coldInvoke();
    const stranger = api.postResponse('11111111-2222-3333-4444-555555555555', '{}');
    expect(stranger.status).toBe(400);
    expect(json(stranger)).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    api.postResponse(request.requestId, '1');
    await result;
    const again = api.postResponse(request.requestId, '2');
    expect(again.status).toBe(403);
    expect(json(again)).toEqual({
      errorMessage: 'State transition from Finishing to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
  });

  it('refuses GET /next while an invocation is owed an answer, and init/error after init', async () => {
    const t = setup();
    const { api } = await t.coldInvoke();
    const next = await api.next();
    expect(next.status).toBe(403);
    expect(json(next)).toMatchObject({ errorType: 'InvalidStateTransition' });
    expect(api.postInitError('{}').status).toBe(403);
  });

  it('includes the invocation log in logResult when a tail is asked for', async () => {
    const t = setup();
    const request = testRequest({}, { tail: true });
    const { proc, api, result } = await t.coldInvoke(request);
    proc.stdout.write('line one\nno newline yet');
    await turn();
    api.postResponse(request.requestId, '{}');
    const text = Buffer.from((await result)!.logResult!, 'base64').toString();
    expect(text).toMatch(/^START RequestId: .* Version: \$LATEST\nline one\nno newline yet\nEND RequestId: .*\nREPORT RequestId: .*\tInit Duration: [\d.]+ ms\t\n$/);
  });

  it('hands back an invocation it could not deliver when the runtime dies while Reserved', async () => {
    const t = setup();
    const first = await t.coldInvoke();
    first.api.postResponse(first.request.requestId, '1');
    await first.result;
    const result = t.env.invoke(testRequest());
    expect(state(t.env)).toBe('Reserved');
    first.proc.exit({ code: 0, signal: null });
    await expect(result).resolves.toBeUndefined();
    expect(state(t.env)).toBe('Failed');
  });

  it('times out a Reserved invocation whose runtime never comes back to GET /next', async () => {
    const t = setup({ timeout: 3 });
    const first = await t.coldInvoke();
    first.api.postResponse(first.request.requestId, '1');
    await first.result;
    const request = testRequest();
    const result = t.env.invoke(request);
    expect(state(t.env)).toBe('Reserved');
    t.time.advance(3000);
    const r = await result;
    expect(JSON.parse(r!.payload.toString()).errorType).toBe('Sandbox.Timedout');
    expect(r?.durationMs).toBe(3000);
    expect(state(t.env)).toBe('Failed');
    expect(t.sink.messages()).toContain(`START RequestId: ${request.requestId} Version: $LATEST`);
  });

  it('stops: Idle → Stopping → Stopped, process killed, endpoint closed', async () => {
    const t = setup();
    const first = await t.coldInvoke();
    first.api.postResponse(first.request.requestId, '1');
    await first.result;
    void first.api.next();
    await t.env.stop();
    expect(state(t.env)).toBe('Stopped');
    expect(first.proc.signals).toContain('SIGKILL');
    expect(t.transport.api(first.proc.runtimeApi).closed).toBe(true);
    expect(t.moves).toEqual([
      'Starting>Initializing',
      'Initializing>Idle',
      'Idle>Busy',
      'Busy>Finishing',
      'Finishing>Idle',
      'Idle>Stopping',
      'Stopping>Stopped',
    ]);
  });

  it('stops before launch without starting a process', async () => {
    const t = setup();
    t.env.start();
    await t.env.stop();
    expect(state(t.env)).toBe('Stopped');
    expect(t.launcher.launched).toHaveLength(0);
  });

  it('rejects the waiting invocation when the launcher cannot start anything (platform fault)', async () => {
    const t = setup();
    t.launcher.failWith = new Error('no sandbox');
    const result = t.env.invoke(testRequest());
    t.env.start();
    await expect(result).rejects.toThrow('no sandbox');
    expect(state(t.env)).toBe('Failed');
  });

  it('answers an invocation routed to a gone environment with undefined', async () => {
    const t = setup();
    t.env.start();
    await t.env.stop();
    await expect(t.env.invoke(testRequest())).resolves.toBeUndefined();
  });
});
