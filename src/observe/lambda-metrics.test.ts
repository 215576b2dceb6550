import { describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { LambdaMetrics } from './lambda-metrics.js';
import { statistic } from './metric-aggregate.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 30);

function setup() {
  let now = T0;
  const store = new SqliteStore(':memory:');
  const metrics = new LambdaMetrics({ store: store.metrics, clock: { now: () => now, monotonic: () => now }, logger: silentLogger });
  const read = async (metricName: string, dimensions: Record<string, string> = {}) =>
    store.metrics.points({
      metric: { namespace: 'AWS/Lambda', metricName, dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })) },
      startTime: 0,
      endTime: 1e15,
    });
  return { store, metrics, read, advance: (ms: number) => (now += ms) };
}

describe('LambdaMetrics', () => {
  it('aggregates invocations per minute under AWS names and dimensions, written only on flush', async () => {
    const { store, metrics, read, advance } = setup();
    metrics.record({ functionName: 'f', durationMs: 10 });
    metrics.record({ functionName: 'f', qualifier: 'live', executedVersion: '3', durationMs: 30, error: true });
    metrics.record({ functionName: 'g', throttled: true });
    expect(await read('Invocations')).toEqual([]);
    await metrics.flush();
    const [all] = await read('Invocations');
    expect([all!.count, all!.sum, all!.unit, all!.timestamp]).toEqual([2, 2, 'Count', Date.UTC(2026, 0, 1, 12, 0, 0)]);
    expect((await read('Invocations', { FunctionName: 'f' }))[0]!.sum).toBe(2);
    expect((await read('Errors', { FunctionName: 'f' }))[0]).toMatchObject({ count: 2, sum: 1 });
    expect((await read('Duration', { FunctionName: 'f', Resource: 'f:live' }))[0]).toMatchObject({ count: 1, sum: 30, unit: 'Milliseconds' });
    expect((await read('Duration', { FunctionName: 'f', Resource: 'f:live', ExecutedVersion: '3' }))[0]!.sum).toBe(30);
    expect((await read('Throttles', { FunctionName: 'g' }))[0]!.sum).toBe(1);
    expect(await read('Invocations', { FunctionName: 'g' })).toEqual([]);
    // A later minute is a new row; the same minute written again merges.
    metrics.record({ functionName: 'f', durationMs: 5 });
    advance(60_000);
    metrics.record({ functionName: 'f', durationMs: 7 });
    await metrics.flush();
    expect((await read('Duration', { FunctionName: 'f' })).map((p) => [p.count, p.sum])).toEqual([[3, 45], [1, 7]]);
    await store.close();
  });

  it('samples the highest concurrency per flush, per function and account-wide', async () => {
    const { store, metrics, read, advance } = setup();
    const a = metrics.running('f');
    const b = metrics.running('f');
    const c = metrics.running('g');
    a();
    a();
    await metrics.flush();
    expect((await read('ConcurrentExecutions', { FunctionName: 'f' }))[0]!.max).toBe(2);
    expect((await read('ConcurrentExecutions'))[0]!.max).toBe(3);
    b();
    c();
    advance(60_000);
    await metrics.flush();
    // Still running at the last flush: counted in the next window too.
    const f = await read('ConcurrentExecutions', { FunctionName: 'f' });
    expect(f.map((p) => statistic(p, 'Maximum'))).toEqual([2, 1]);
    advance(60_000);
    await metrics.flush();
    expect((await read('ConcurrentExecutions', { FunctionName: 'f' })).length).toBe(2);
    await store.close();
  });
});
