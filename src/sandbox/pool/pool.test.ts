import { describe, expect, it } from 'vitest';
import { SandboxFault } from '../sandbox-fault.js';
import { silentLogger } from '../../shared/logger.js';
import { FakeLauncher } from '../../../test/support/sandbox/fake-launcher.js';
import { deferred, scriptRuntimes, type Handle } from '../../../test/support/sandbox/fake-runtime.js';
import { TEST_HOST, testRequest, testSpec } from '../../../test/support/sandbox/function-spec.js';
import { InMemoryTransport } from '../../../test/support/sandbox/in-memory-transport.js';
import { ManualTime } from '../../../test/support/sandbox/manual-time.js';
import { RecordingLogSink } from '../../../test/support/sandbox/recording-log-sink.js';
import { turn } from '../../../test/support/wait.js';
import { EnvironmentPool, type EnvironmentChange } from './pool.js';

const echoPid: Handle = ({ proc }) => String(proc.pid);

function setup(handle: Handle = echoPid, opts: { keepAliveMs?: number; maxEnvironments?: number } = {}) {
  const time = new ManualTime();
  const launcher = new FakeLauncher();
  const transport = new InMemoryTransport();
  const sink = new RecordingLogSink();
  const changes: EnvironmentChange[] = [];
  scriptRuntimes(launcher, transport, handle);
  const pool = new EnvironmentPool({
    launcher,
    transport,
    host: TEST_HOST,
    logSink: sink,
    clock: time,
    timers: time,
    logger: silentLogger,
    keepAliveMs: opts.keepAliveMs ?? 60_000,
    maxEnvironments: opts.maxEnvironments,
    onEnvironmentChange: (c) => changes.push(c),
  });
  return { time, launcher, transport, sink, pool, changes };
}

const specA = testSpec({ functionName: 'a' });
const specB = testSpec({ functionName: 'b' });
const text = (r: { payload: Buffer }) => r.payload.toString();

/** Lets the fake runtimes come back to GET /next after their answers. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await turn();
};

describe('EnvironmentPool', () => {
  it('reuses the warm environment for sequential invocations of the same spec', async () => {
    const t = setup();
    const first = await t.pool.invoke(specA, testRequest());
    const second = await t.pool.invoke(specA, testRequest());
    const third = await t.pool.invoke(specA, testRequest());
    expect(t.launcher.launched).toHaveLength(1);
    expect(text(second)).toBe(text(first));
    expect(text(third)).toBe(text(first));
    expect(first.initDurationMs).toBeDefined();
    expect(second.initDurationMs).toBeUndefined();
  });

  it('starts another environment when invocations overlap', async () => {
    const hold = deferred();
    const t = setup(async ({ proc, payload }) => {
      if (payload.includes('hold')) await hold.promise;
      return String(proc.pid);
    });
    const slow = t.pool.invoke(specA, testRequest({ hold: true }));
    const fast = await t.pool.invoke(specA, testRequest());
    expect(t.launcher.launched).toHaveLength(2);
    expect(t.pool.stats()).toMatchObject({ total: 2, leased: 1 });
    hold.resolve();
    expect(text(await slow)).not.toBe(text(fast));
  });

  it('never shares environments between spec keys', async () => {
    const t = setup();
    const a = await t.pool.invoke(specA, testRequest());
    const b = await t.pool.invoke(specB, testRequest());
    expect(text(a)).not.toBe(text(b));
    const updatedA = { ...specA, key: 'a:$LATEST:r2' };
    expect(text(await t.pool.invoke(updatedA, testRequest()))).not.toBe(text(a));
  });

  it('returns function failures as results and replaces an environment that timed out', async () => {
    const t = setup(({ payload, proc }) => (payload.includes('hang') ? new Promise<string>(() => {}) : String(proc.pid)));
    const before = await t.pool.invoke(specA, testRequest());
    const hung = t.pool.invoke(specA, testRequest({ hang: true }));
    await settle();
    t.time.advance(3000);
    const r = await hung;
    expect(r.functionError).toBe('Unhandled');
    expect(JSON.parse(text(r)).errorType).toBe('Sandbox.Timedout');
    const after = await t.pool.invoke(specA, testRequest());
    expect(text(after)).not.toBe(text(before));
    expect(t.launcher.launched).toHaveLength(2);
  });

  it('retires idle environments now and busy ones when their invocation ends', async () => {
    const hold = deferred();
    const t = setup(async ({ proc, payload }) => {
      if (payload.includes('hold')) await hold.promise;
      return String(proc.pid);
    });
    const busy = t.pool.invoke(specA, testRequest({ hold: true }));
    await t.pool.invoke(specA, testRequest()); // a second, now idle, environment
    await t.pool.invoke(specB, testRequest());
    await settle();
    await t.pool.retire((s) => s.functionName === 'a');
    expect(t.pool.stats().byState).toMatchObject({ Busy: 1, Idle: 1, Stopped: 0 });
    expect(t.launcher.launched.filter((p) => p.hasExited)).toHaveLength(1);
    hold.resolve();
    await busy;
    await settle();
    expect(t.launcher.launched.filter((p) => p.hasExited)).toHaveLength(2);
    expect(t.pool.stats().total).toBe(1); // only b's
    await t.pool.invoke(specA, testRequest());
    expect(t.launcher.launched).toHaveLength(4);
  });

  it('reclaims idle environments after keepAliveMs with a single pool timer', async () => {
    const t = setup(echoPid, { keepAliveMs: 60_000 });
    for (let i = 0; i < 5; i++) await t.pool.invoke(specA, testRequest());
    await settle();
    expect(t.time.armed).toBe(1);
    t.time.advance(59_999);
    expect(t.pool.stats().byState.Idle).toBe(1);
    t.time.advance(1);
    await settle();
    expect(t.launcher.launched[0]!.hasExited).toBe(true);
    expect(t.pool.stats().total).toBe(0);
    expect(t.time.armed).toBe(0);
  });

  it('keeps an environment that was used again before its keep-alive ran out', async () => {
    const t = setup(echoPid, { keepAliveMs: 60_000 });
    await t.pool.invoke(specA, testRequest());
    t.time.advance(50_000);
    await t.pool.invoke(specA, testRequest());
    t.time.advance(50_000);
    await settle();
    expect(t.pool.stats().total).toBe(1);
    t.time.advance(10_000);
    await settle();
    expect(t.pool.stats().total).toBe(0);
  });

  it('drains: refuses new invocations, waits for running ones, stops everything', async () => {
    const hold = deferred();
    const t = setup(async ({ proc, payload }) => {
      if (payload.includes('hold')) await hold.promise;
      return String(proc.pid);
    });
    await t.pool.invoke(specB, testRequest());
    const running = t.pool.invoke(specA, testRequest({ hold: true }));
    await settle();
    let drained = false;
    const draining = t.pool.drain().then(() => (drained = true));
    await settle();
    expect(drained).toBe(false);
    await expect(t.pool.invoke(specA, testRequest())).rejects.toMatchObject({ kind: 'draining' });
    hold.resolve();
    expect((await running).functionError).toBeUndefined();
    await draining;
    expect(t.pool.stats().total).toBe(0);
    expect(t.launcher.launched.every((p) => p.hasExited)).toBe(true);
  });

  it('evicts the least recently used free environment at maxEnvironments, and refuses when all are leased', async () => {
    const hold = deferred();
    const t = setup(
      async ({ proc, payload }) => {
        if (payload.includes('hold')) await hold.promise;
        return String(proc.pid);
      },
      { maxEnvironments: 1 },
    );
    await t.pool.invoke(specA, testRequest());
    await t.pool.invoke(specB, testRequest());
    expect(t.launcher.launched[0]!.hasExited).toBe(true);
    const busy = t.pool.invoke(specB, testRequest({ hold: true }));
    const refused = t.pool.invoke(specA, testRequest());
    await expect(refused).rejects.toBeInstanceOf(SandboxFault);
    await expect(refused).rejects.toMatchObject({ kind: 'capacity' });
    hold.resolve();
    await busy;
  });

  it('refuses a runtime the catalogue does not have', async () => {
    const t = setup();
    await expect(t.pool.invoke(testSpec({ runtime: 'cobol1.x' }), testRequest())).rejects.toMatchObject({
      kind: 'unsupported-runtime',
    });
  });

  it('releases the lease when the environment cannot start (platform fault)', async () => {
    const t = setup();
    t.launcher.failWith = new Error('no sandbox');
    await expect(t.pool.invoke(specA, testRequest())).rejects.toThrow('no sandbox');
    await settle();
    expect(t.pool.stats()).toMatchObject({ total: 0, leased: 0 });
    t.launcher.failWith = undefined;
    expect((await t.pool.invoke(specA, testRequest())).functionError).toBeUndefined();
  });

  it('marks invocations run on provisioned environments and keeps their in-use peak per read', async () => {
    const hold = deferred();
    const t = setup(async ({ proc, payload }) => {
      if (payload.includes('hold')) await hold.promise;
      return String(proc.pid);
    });
    const set = t.pool.provision(specA, 2);
    await settle();
    expect(set.status().status).toBe('READY');
    expect(set.takePeakInUse()).toBe(0);
    const held = [t.pool.invoke(specA, testRequest({ hold: true })), t.pool.invoke(specA, testRequest({ hold: true }))];
    const spilled = await t.pool.invoke(specA, testRequest());
    expect(spilled.provisioned).toBeUndefined();
    expect(set.takePeakInUse()).toBe(2);
    hold.resolve();
    expect((await Promise.all(held)).map((r) => r.provisioned)).toEqual([true, true]);
    // Both were still running at the last read: that read's level is this window's start.
    expect(set.takePeakInUse()).toBe(2);
    expect(set.takePeakInUse()).toBe(0);
  });

  it('reports state changes and counts by state', async () => {
    const t = setup();
    await t.pool.invoke(specA, testRequest());
    await settle();
    expect(t.changes.map((c) => `${c.from}>${c.to}`)).toEqual([
      'Starting>Initializing',
      'Initializing>Idle',
      'Idle>Busy',
      'Busy>Finishing',
      'Finishing>Idle',
    ]);
    expect(t.changes[0]?.functionKey).toBe(specA.key);
    expect(t.pool.stats()).toMatchObject({ total: 1, leased: 0, byState: { Idle: 1, Busy: 0 } });
  });
});

describe('EnvironmentPool with a runtime that dies before taking a reserved event', () => {
  it('runs the invocation on a fresh environment', async () => {
    const time = new ManualTime();
    const launcher = new FakeLauncher();
    const transport = new InMemoryTransport();
    const moves: string[] = [];
    const pool = new EnvironmentPool({
      launcher,
      transport,
      host: TEST_HOST,
      logSink: new RecordingLogSink(),
      clock: time,
      timers: time,
      logger: silentLogger,
      onEnvironmentChange: (c) => moves.push(`${c.from}>${c.to}`),
    });
    // First runtime: answers once, then exits instead of asking for the next event.
    launcher.onLaunch = (proc) =>
      void (async () => {
        await null;
        const api = transport.api(proc.runtimeApi);
        const event = await api.next();
        const id = event.headers['Lambda-Runtime-Aws-Request-Id']!;
        api.postResponse(id, `"${proc.pid}"`);
        if (launcher.launched.length === 1) {
          await turn();
          await turn();
          proc.exit({ code: 0, signal: null });
        }
      })();
    const first = await pool.invoke(specA, testRequest());
    const second = await pool.invoke(specA, testRequest());
    expect(launcher.launched).toHaveLength(2);
    expect(second.payload.toString()).not.toBe(first.payload.toString());
    expect(second.functionError).toBeUndefined();
    expect(moves).toContain('Finishing>Reserved');
    expect(moves).toContain('Reserved>Failed');
  });
});
