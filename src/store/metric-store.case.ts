/** The MetricStore part of the Store behaviour suite (called from store.case.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricPoint } from './metric-store.js';
import type { Store } from './store.js';

/** A one-sample minute of metric `name` with the given dimensions. */
export function metricPoint(name: string, value: number, overrides: Partial<MetricPoint> = {}): MetricPoint {
  return {
    namespace: 'App',
    metricName: name,
    dimensions: [],
    unit: 'None',
    timestamp: 60_000,
    count: 1,
    sum: value,
    min: value,
    max: value,
    histogram: { [`v${value}`]: 1 },
    ...overrides,
  };
}

/** The MetricStore cases, run for every Store implementation by storeBehaviour. */
export function metricStoreBehaviour(name: string, open: () => Promise<Store>): void {
  describe(`MetricStore behaviour: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('merges minutes written in several batches, per unit', async () => {
      const dims = [{ name: 'b', value: '2' }, { name: 'a', value: '1' }];
      await store.metrics.put([metricPoint('m', 5, { dimensions: dims }), metricPoint('m', 1, { timestamp: 120_000, dimensions: dims })]);
      await store.metrics.put([metricPoint('m', 9, { dimensions: [...dims].reverse() }), metricPoint('m', 3, { unit: 'Count', dimensions: dims })]);
      const metric = { namespace: 'App', metricName: 'm', dimensions: dims };
      const all = await store.metrics.points({ metric, startTime: 0, endTime: 180_000 });
      expect(all.map((p) => [p.timestamp, p.unit, p.count, p.sum, p.min, p.max])).toEqual([
        [60_000, 'Count', 1, 3, 3, 3],
        [60_000, 'None', 2, 14, 5, 9],
        [120_000, 'None', 1, 1, 1, 1],
      ]);
      expect(all[1]!.histogram).toEqual({ v5: 1, v9: 1 });
      expect(all[1]!.dimensions).toEqual([{ name: 'a', value: '1' }, { name: 'b', value: '2' }]);
      const ranged = await store.metrics.points({ metric, unit: 'None', startTime: 60_000, endTime: 120_000 });
      expect(ranged.map((p) => p.sum)).toEqual([14]);
      // A subset of the dimensions is another metric.
      expect(await store.metrics.points({ metric: { ...metric, dimensions: [dims[0]!] }, startTime: 0, endTime: 1e12 })).toEqual([]);
    });

    it('keeps min and max of sets without samples', async () => {
      await store.metrics.put([metricPoint('s', 0, { count: 0, sum: 0, min: Infinity, max: -Infinity, histogram: {} })]);
      await store.metrics.put([metricPoint('s', 4)]);
      const [p] = await store.metrics.points({ metric: { namespace: 'App', metricName: 's', dimensions: [] }, startTime: 0, endTime: 1e12 });
      expect([p!.count, p!.min, p!.max]).toEqual([1, 4, 4]);
    });

    it('lists metrics by namespace, name and dimension filters, with a cursor', async () => {
      await store.metrics.put([
        metricPoint('a', 1, { dimensions: [{ name: 'FunctionName', value: 'f' }] }),
        metricPoint('a', 1, { dimensions: [{ name: 'FunctionName', value: 'g' }] }),
        metricPoint('b', 1, { dimensions: [{ name: 'FunctionName', value: 'f' }, { name: 'Resource', value: 'f:1' }] }),
        metricPoint('c', 1, { namespace: 'Other', timestamp: 600_000 }),
      ]);
      const names = (l: { metricName: string }[]) => l.map((m) => m.metricName);
      expect(names(await store.metrics.list({ limit: 10 }))).toEqual(['a', 'a', 'b', 'c']);
      expect(names(await store.metrics.list({ namespace: 'App', limit: 10 }))).toEqual(['a', 'a', 'b']);
      expect(names(await store.metrics.list({ metricName: 'b', limit: 10 }))).toEqual(['b']);
      expect(names(await store.metrics.list({ dimensions: [{ name: 'FunctionName', value: 'f' }], limit: 10 }))).toEqual(['a', 'b']);
      expect(names(await store.metrics.list({ dimensions: [{ name: 'Resource' }], limit: 10 }))).toEqual(['b']);
      expect(names(await store.metrics.list({ activeSince: 300_000, limit: 10 }))).toEqual(['c']);
      const first = await store.metrics.list({ limit: 2 });
      expect(names(await store.metrics.list({ afterCursor: first[1]!.cursor, limit: 10 }))).toEqual(['b', 'c']);
    });
  });
}
