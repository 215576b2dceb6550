import { describe, expect, it } from 'vitest';
import type { Worker, WorkerPlacement } from '../kit/worker.js';
import { createLogger } from '../shared/logger.js';
import { openSlice } from '../../test/support/slices.js';
import { PLATFORM_SLICE } from '../store/platform-store.js';
import { WorkerRunner } from './worker-runner.js';

function worker(name: string, runs: WorkerPlacement) {
  const events: string[] = [];
  const w: Worker & { events: string[] } = {
    name,
    runs,
    events,
    start: () => void events.push('start'),
    stop: async () => void events.push('stop'),
  };
  return w;
}

describe('WorkerRunner', () => {
  it('runs per-node workers everywhere and a cluster worker on one node, handing it over when its lease expires', async () => {
    const store = openSlice(PLATFORM_SLICE);
    let now = 1_000;
    const clock = { now: () => now, monotonic: () => now };
    const logger = createLogger('error');
    const TTL = 3_600_000;
    const a = { local: worker('x.local', 'per-node'), single: worker('x.single', 'once-per-cluster') };
    const b = { local: worker('x.local', 'per-node'), single: worker('x.single', 'once-per-cluster') };
    const runnerA = new WorkerRunner({ leases: store.leases, nodeId: 'a', clock, logger, leaseTtlMs: TTL });
    const runnerB = new WorkerRunner({ leases: store.leases, nodeId: 'b', clock, logger, leaseTtlMs: TTL });
    await runnerA.start([a.local, a.single]);
    await runnerB.start([b.local, b.single]);
    expect(runnerA.running()).toEqual(['x.local', 'x.single']);
    expect(runnerB.running()).toEqual(['x.local']);

    // A renews in time: B keeps waiting.
    now += TTL / 2;
    await runnerA.renewLeases();
    now += TTL / 2 + 1;
    await runnerB.renewLeases();
    expect(runnerB.running()).toEqual(['x.local']);

    // A stops renewing (a killed node); once the lease expires B takes the job.
    now += TTL;
    await runnerB.renewLeases();
    expect(runnerB.running()).toEqual(['x.local', 'x.single']);
    // A finds it lost the lease and stops its copy.
    await runnerA.renewLeases();
    expect(runnerA.running()).toEqual(['x.local']);
    expect(a.single.events).toEqual(['start', 'stop']);

    // Stopping releases the lease at once: A need not wait for the expiry.
    await runnerB.stop();
    expect(b.single.events).toEqual(['start', 'stop']);
    await runnerA.renewLeases();
    expect(runnerA.running()).toEqual(['x.local', 'x.single']);
    await runnerA.stop();
    expect(await store.leases.holder('x.single', now)).toBeUndefined();
    await store.close();
  });

  it('refuses two workers of one name', async () => {
    const store = openSlice(PLATFORM_SLICE);
    const runner = new WorkerRunner({ leases: store.leases, nodeId: 'a', clock: { now: () => 0, monotonic: () => 0 }, logger: createLogger('error'), leaseTtlMs: 1000 });
    await expect(runner.start([worker('w', 'per-node'), worker('w', 'per-node')])).rejects.toThrow('two workers are named w');
    await store.close();
  });
});
