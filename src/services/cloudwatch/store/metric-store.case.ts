/** The behaviour every MetricStore implementation must show (SQLite today; PostgreSQL with the cluster). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricPoint, MetricRetentionPlan } from './metric-store.js';
import type { Scope } from '../../../shared/scope.js';
import type { CloudWatchStore } from './cloudwatch-slice.js';

/** A CloudWatch slice and how to close it. */
export type OpenStore = CloudWatchStore & { close(): Promise<void> };

export const HERE: Scope = { accountId: '000000000000', region: 'us-east-1' };
const THERE: Scope = { accountId: '000000000000', region: 'eu-west-1' };
const OTHER_ACCOUNT: Scope = { accountId: '111122223333', region: 'us-east-1' };

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

/** The MetricStore cases. */
export function metricStoreBehaviour(name: string, open: () => Promise<OpenStore>): void {
  describe(`MetricStore behaviour: ${name}`, () => {
    let store: OpenStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('merges minutes written in several batches, per unit', async () => {
      const dims = [{ name: 'b', value: '2' }, { name: 'a', value: '1' }];
      await store.metrics.put(HERE, [metricPoint('m', 5, { dimensions: dims }), metricPoint('m', 1, { timestamp: 120_000, dimensions: dims })]);
      await store.metrics.put(HERE, [metricPoint('m', 9, { dimensions: [...dims].reverse() }), metricPoint('m', 3, { unit: 'Count', dimensions: dims })]);
      const metric = { namespace: 'App', metricName: 'm', dimensions: dims };
      const all = await store.metrics.points(HERE, { metric, startTime: 0, endTime: 180_000 });
      expect(all.map((p) => [p.timestamp, p.unit, p.count, p.sum, p.min, p.max])).toEqual([
        [60_000, 'Count', 1, 3, 3, 3],
        [60_000, 'None', 2, 14, 5, 9],
        [120_000, 'None', 1, 1, 1, 1],
      ]);
      expect(all[1]!.histogram).toEqual({ v5: 1, v9: 1 });
      expect(all[1]!.dimensions).toEqual([{ name: 'a', value: '1' }, { name: 'b', value: '2' }]);
      const ranged = await store.metrics.points(HERE, { metric, unit: 'None', startTime: 60_000, endTime: 120_000 });
      expect(ranged.map((p) => p.sum)).toEqual([14]);
      // A subset of the dimensions is another metric.
      expect(await store.metrics.points(HERE, { metric: { ...metric, dimensions: [dims[0]!] }, startTime: 0, endTime: 1e12 })).toEqual([]);
    });

    it('keeps min and max of sets without samples', async () => {
      await store.metrics.put(HERE, [metricPoint('s', 0, { count: 0, sum: 0, min: Infinity, max: -Infinity, histogram: {} })]);
      await store.metrics.put(HERE, [metricPoint('s', 4)]);
      const [p] = await store.metrics.points(HERE, { metric: { namespace: 'App', metricName: 's', dimensions: [] }, startTime: 0, endTime: 1e12 });
      expect([p!.count, p!.min, p!.max]).toEqual([1, 4, 4]);
    });

    describe('applyRetention', () => {
      const MIN = 60_000;
      const H0 = 10 * 3_600_000;
      const B = H0 + 3_600_000;
      const dims = [{ name: 'Stage', value: 'prod' }];
      const metric = (metricName = 'r') => ({ namespace: 'App', metricName, dimensions: dims });
      const at = (name: string, value: number, timestamp: number, unit = 'Count') => metricPoint(name, value, { timestamp, unit, dimensions: dims });
      /** Minutes before B + 10 min roll into five minutes; before B into hours; nothing is deleted. */
      const plan = (fiveBefore = B + 10 * MIN, hourBefore = B, deleteBefore = 0): MetricRetentionPlan => ({
        rollUps: [
          { fromPeriod: 60, toPeriod: 3600, before: hourBefore },
          { fromPeriod: 300, toPeriod: 3600, before: hourBefore },
          { fromPeriod: 60, toPeriod: 300, before: fiveBefore },
        ],
        deleteBefore,
      });
      const rows = async (metricName = 'r', unit?: string) =>
        (await store.metrics.points(HERE, { metric: metric(metricName), unit, startTime: 0, endTime: 1e15 })).map((p) => [p.timestamp, p.unit, p.count, p.sum, p.min, p.max]);
      const seed = () =>
        store.metrics.put(HERE, [
          at('r', 1, H0 + 7 * MIN),
          at('r', 2, H0 + 30 * MIN),
          at('r', 3, B),
          at('r', 4, B + MIN),
          at('r', 5, B + 4 * MIN),
          at('r', 6, B + 5 * MIN),
          at('r', 7, B + 2 * MIN, 'Seconds'),
          at('r', 8, B + 10 * MIN),
          at('s', 9, B + 3 * MIN),
        ]);

      it('merges aging minutes into rows at the aligned start of their five minutes or hour, per metric and unit', async () => {
        await seed();
        expect(await store.metrics.applyRetention(plan(), 100)).toEqual({ rolledUp: 8, deleted: 0, done: true });
        expect(await rows()).toEqual([
          [H0, 'Count', 2, 3, 1, 2],
          [B, 'Count', 3, 12, 3, 5],
          [B, 'Seconds', 1, 7, 7, 7],
          [B + 5 * MIN, 'Count', 1, 6, 6, 6],
          [B + 10 * MIN, 'Count', 1, 8, 8, 8],
        ]);
        const [five] = await store.metrics.points(HERE, { metric: metric(), unit: 'Count', startTime: B, endTime: B + MIN });
        expect(five).toMatchObject({ namespace: 'App', metricName: 'r', dimensions: dims, histogram: { v3: 1, v4: 1, v5: 1 } });
        expect(await rows('s')).toEqual([[B, 'Count', 1, 9, 9, 9]]);
        // Applying the same plan again finds nothing left to do.
        expect(await store.metrics.applyRetention(plan(), 100)).toEqual({ rolledUp: 0, deleted: 0, done: true });
      });

      it('adds rows written later, and older rolled-up rows, into what was merged before', async () => {
        await seed();
        await store.metrics.applyRetention(plan(), 100);
        await store.metrics.put(HERE, [at('r', 10, B + 2 * MIN)]);
        await store.metrics.applyRetention(plan(), 100);
        expect((await rows('r', 'Count')).find((r) => r[0] === B)).toEqual([B, 'Count', 4, 22, 3, 10]);
        // An hour later five-minute rows and the minute left become one hour row.
        await store.metrics.applyRetention(plan(B + 70 * MIN, B + 3_600_000), 100);
        expect(await rows()).toEqual([
          [H0, 'Count', 2, 3, 1, 2],
          [B, 'Count', 6, 36, 3, 10],
          [B, 'Seconds', 1, 7, 7, 7],
        ]);
        const [hour] = await store.metrics.points(HERE, { metric: metric(), unit: 'Count', startTime: B, endTime: B + MIN });
        expect(hour!.histogram).toEqual({ v3: 1, v4: 1, v5: 1, v6: 1, v8: 1, v10: 1 });
      });

      it('keeps min and max of sets without samples when merging', async () => {
        await store.metrics.put(HERE, [at('e', 0, B, 'Count'), at('e', 4, B + MIN)].map((p, i) => (i === 0 ? { ...p, count: 0, sum: 0, min: Infinity, max: -Infinity, histogram: {} } : p)));
        await store.metrics.applyRetention(plan(), 100);
        expect(await rows('e')).toEqual([[B, 'Count', 1, 4, 4, 4]]);
      });

      it('deletes rows older than the plan keeps, and metrics left without any', async () => {
        await seed();
        await store.metrics.put(HERE, [metricPoint('old', 1, { timestamp: H0 + MIN })]);
        expect(await store.metrics.applyRetention(plan(undefined, undefined, B), 100)).toMatchObject({ deleted: 3, done: true });
        expect((await rows()).map((r) => r[0])).toEqual([B, B, B + 5 * MIN, B + 10 * MIN]);
        expect((await store.metrics.list(HERE, { limit: 10 })).map((m) => m.metricName)).toEqual(['r', 's']);
      });

      it('does at most `limit` rows a call and carries on at the next, to the same result', async () => {
        await seed();
        const calls = [];
        for (;;) {
          const step = await store.metrics.applyRetention(plan(), 3);
          calls.push(step);
          expect(step.rolledUp + step.deleted).toBeLessThanOrEqual(3);
          if (step.done) break;
        }
        expect(calls.length).toBeGreaterThan(2);
        expect(calls.reduce((n, c) => n + c.rolledUp, 0)).toBe(8);
        expect(await rows()).toEqual([
          [H0, 'Count', 2, 3, 1, 2],
          [B, 'Count', 3, 12, 3, 5],
          [B, 'Seconds', 1, 7, 7, 7],
          [B + 5 * MIN, 'Count', 1, 6, 6, 6],
          [B + 10 * MIN, 'Count', 1, 8, 8, 8],
        ]);
      });
    });

    it('keeps each account and region apart, and applies retention to all of them', async () => {
      const metric = { namespace: 'App', metricName: 'm', dimensions: [] };
      for (const [i, scope] of [HERE, THERE, OTHER_ACCOUNT].entries()) await store.metrics.put(scope, [metricPoint('m', i + 1)]);
      for (const [i, scope] of [HERE, THERE, OTHER_ACCOUNT].entries()) {
        expect((await store.metrics.points(scope, { metric, startTime: 0, endTime: 1e12 })).map((p) => p.sum)).toEqual([i + 1]);
        expect((await store.metrics.list(scope, { limit: 10 })).map((m) => m.metricName)).toEqual(['m']);
      }
      expect(await store.metrics.applyRetention({ rollUps: [], deleteBefore: 1e12 }, 100)).toMatchObject({ deleted: 3, done: true });
      expect(await store.metrics.list(THERE, { limit: 10 })).toEqual([]);
    });

    it('lists metrics by namespace, name and dimension filters, with a cursor', async () => {
      await store.metrics.put(HERE, [
        metricPoint('a', 1, { dimensions: [{ name: 'FunctionName', value: 'f' }] }),
        metricPoint('a', 1, { dimensions: [{ name: 'FunctionName', value: 'g' }] }),
        metricPoint('b', 1, { dimensions: [{ name: 'FunctionName', value: 'f' }, { name: 'Resource', value: 'f:1' }] }),
        metricPoint('c', 1, { namespace: 'Other', timestamp: 600_000 }),
      ]);
      const names = (l: { metricName: string }[]) => l.map((m) => m.metricName);
      expect(names(await store.metrics.list(HERE, { limit: 10 }))).toEqual(['a', 'a', 'b', 'c']);
      expect(names(await store.metrics.list(HERE, { namespace: 'App', limit: 10 }))).toEqual(['a', 'a', 'b']);
      expect(names(await store.metrics.list(HERE, { metricName: 'b', limit: 10 }))).toEqual(['b']);
      expect(names(await store.metrics.list(HERE, { dimensions: [{ name: 'FunctionName', value: 'f' }], limit: 10 }))).toEqual(['a', 'b']);
      expect(names(await store.metrics.list(HERE, { dimensions: [{ name: 'Resource' }], limit: 10 }))).toEqual(['b']);
      expect(names(await store.metrics.list(HERE, { activeSince: 300_000, limit: 10 }))).toEqual(['c']);
      const first = await store.metrics.list(HERE, { limit: 2 });
      expect(names(await store.metrics.list(HERE, { afterCursor: first[1]!.cursor, limit: 10 }))).toEqual(['b', 'c']);
    });
  });
}
