import { describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import { openSlice, TEST_SCOPE } from '../../test/support/slices.js';
import { CLOUDWATCH_SLICE } from '../services/cloudwatch/store/cloudwatch-slice.js';
import { allocatedConcurrency, LambdaMetrics, type ProvisionedUsage } from './lambda-metrics.js';
import { statistic } from './metric-aggregate.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 30);

function setup(provisioned?: () => ProvisionedUsage[], reserved?: () => ReadonlyMap<string, number>) {
  let now = T0;
  const store = openSlice(CLOUDWATCH_SLICE);
  const metrics = new LambdaMetrics({
    store: store.metrics,
    clock: { now: () => now, monotonic: () => now },
    logger: silentLogger,
    ...(provisioned ? { provisioned } : {}),
    ...(reserved ? { reserved: () => [{ reserved: reserved() }] } : {}),
  });
  const read = async (metricName: string, dimensions: Record<string, string> = {}) =>
    store.metrics.points(TEST_SCOPE, {
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

  it('samples concurrency per Resource when the caller named a version or alias', async () => {
    const { store, metrics, read } = setup();
    const live = [metrics.running('f', { qualifier: 'live' }), metrics.running('f', { qualifier: 'live' })];
    const one = metrics.running('f', { qualifier: '1' });
    const latest = metrics.running('f', { qualifier: '$LATEST' });
    await metrics.flush();
    expect((await read('ConcurrentExecutions', { FunctionName: 'f', Resource: 'f:live' }))[0]!.max).toBe(2);
    expect((await read('ConcurrentExecutions', { FunctionName: 'f', Resource: 'f:1' }))[0]!.max).toBe(1);
    expect(await read('ConcurrentExecutions', { FunctionName: 'f', Resource: 'f:$LATEST' })).toEqual([]);
    expect((await read('ConcurrentExecutions', { FunctionName: 'f' }))[0]!.max).toBe(4);
    for (const end of [...live, one, latest]) end();
    await store.close();
  });

  it('samples unreserved concurrency account-wide only', async () => {
    const { store, metrics, read, advance } = setup();
    const a = metrics.running('free', { unreserved: true });
    const b = metrics.running('free', { unreserved: true });
    const c = metrics.running('reserved');
    b();
    await metrics.flush();
    expect((await read('UnreservedConcurrentExecutions'))[0]!.max).toBe(2);
    expect(await read('UnreservedConcurrentExecutions', { FunctionName: 'free' })).toEqual([]);
    a();
    c();
    advance(60_000);
    await metrics.flush();
    advance(60_000);
    await metrics.flush();
    // Running at the first flush, so counted in the second window; nothing ran in the third.
    expect((await read('UnreservedConcurrentExecutions')).map((p) => p.max)).toEqual([2, 1]);
    await store.close();
  });

  it('writes provisioned concurrency in use and its utilization per version or alias at each flush', async () => {
    let usage: ProvisionedUsage[] = [{ functionName: 'f', qualifier: 'live', requested: 4, allocated: 4, peakInUse: 3 }];
    const { store, metrics, read, advance } = setup(() => usage);
    metrics.record({ functionName: 'f', qualifier: 'live', executedVersion: '2', durationMs: 1, provisioned: true });
    metrics.record({ functionName: 'f', qualifier: 'live', executedVersion: '2', durationMs: 1, spillover: true });
    await metrics.flush();
    const resource = { FunctionName: 'f', Resource: 'f:live' };
    expect((await read('ProvisionedConcurrentExecutions', resource))[0]).toMatchObject({ max: 3, unit: 'Count' });
    expect((await read('ProvisionedConcurrencyUtilization', resource))[0]).toMatchObject({ max: 0.75, unit: 'None' });
    expect((await read('ProvisionedConcurrencyInvocations', resource))[0]!.sum).toBe(1);
    expect((await read('ProvisionedConcurrencySpilloverInvocations', { FunctionName: 'f' }))[0]!.sum).toBe(1);
    expect((await read('Invocations', resource))[0]!.sum).toBe(2);
    // Still initializing: in use is written, a ratio is not.
    usage = [{ functionName: 'g', qualifier: '1', requested: 2, allocated: 0, peakInUse: 0 }];
    advance(60_000);
    await metrics.flush();
    expect((await read('ProvisionedConcurrentExecutions', { FunctionName: 'g', Resource: 'g:1' }))[0]!.max).toBe(0);
    expect(await read('ProvisionedConcurrencyUtilization', { FunctionName: 'g', Resource: 'g:1' })).toEqual([]);
    await store.close();
  });

  it('writes ClaimedAccountConcurrency: the unreserved peak plus reserved and provisioned allocations', async () => {
    const reserved = new Map<string, number>();
    let usage: ProvisionedUsage[] = [];
    const { store, metrics, read, advance } = setup(() => usage, () => reserved);
    // Nothing allocated, nothing run: nothing to say.
    await metrics.flush();
    expect(await read('ClaimedAccountConcurrency')).toEqual([]);
    // AWS's example: 600 reserved on one function, 200 provisioned on another, 100 unreserved running.
    reserved.set('orange', 600);
    usage = [{ functionName: 'blue', qualifier: 'live', requested: 200, allocated: 150, peakInUse: 0 }];
    advance(60_000);
    await metrics.flush();
    const ends = Array.from({ length: 100 }, () => metrics.running('other', { unreserved: true }));
    advance(60_000);
    await metrics.flush();
    for (const end of ends) end();
    expect((await read('ClaimedAccountConcurrency')).map((p) => [p.max, p.unit])).toEqual([[800, 'Count'], [900, 'Count']]);
    expect(await read('ClaimedAccountConcurrency', { FunctionName: 'other' })).toEqual([]);
    await store.close();
  });

  it('counts a function with both reserved and provisioned concurrency by its reservation only', () => {
    const reserved = new Map([['both', 10], ['only-reserved', 5]]);
    const provisioned = [
      { functionName: 'both', requested: 4 },
      { functionName: 'only-provisioned', requested: 3 },
      { functionName: 'only-provisioned', requested: 2 },
    ];
    expect(allocatedConcurrency(reserved, provisioned)).toBe(10 + 5 + 3 + 2);
    expect(allocatedConcurrency(new Map(), [])).toBe(0);
  });

  it('counts asynchronous events under AWS names, per function, qualifier and account-wide', async () => {
    const { store, metrics, read } = setup();
    metrics.asyncEvent({ kind: 'received', functionName: 'f', qualifier: '$LATEST' });
    metrics.asyncEvent({ kind: 'received', functionName: 'f', qualifier: 'live' });
    metrics.asyncEvent({ kind: 'invoked', functionName: 'f', qualifier: 'live', ageMs: 40 });
    metrics.asyncEvent({ kind: 'invoked', functionName: 'f', qualifier: 'live', ageMs: 2000 });
    metrics.asyncEvent({ kind: 'dropped', functionName: 'f', qualifier: 'live' });
    metrics.asyncEvent({ kind: 'dead-letter-error', functionName: 'f' });
    metrics.asyncEvent({ kind: 'destination-failure', functionName: 'g' });
    await metrics.flush();
    expect((await read('AsyncEventsReceived'))[0]).toMatchObject({ sum: 2, unit: 'Count' });
    expect((await read('AsyncEventsReceived', { FunctionName: 'f' }))[0]!.sum).toBe(2);
    expect((await read('AsyncEventsReceived', { FunctionName: 'f', Resource: 'f:live' }))[0]!.sum).toBe(1);
    expect(await read('AsyncEventsReceived', { FunctionName: 'f', Resource: 'f:$LATEST' })).toEqual([]);
    expect((await read('AsyncEventAge', { FunctionName: 'f', Resource: 'f:live' }))[0]).toMatchObject({ count: 2, max: 2000, min: 40, unit: 'Milliseconds' });
    expect((await read('AsyncEventsDropped', { FunctionName: 'f' }))[0]!.sum).toBe(1);
    expect((await read('DeadLetterErrors'))[0]!.sum).toBe(1);
    expect((await read('DestinationDeliveryFailures', { FunctionName: 'g' }))[0]!.sum).toBe(1);
    await store.close();
  });
});
