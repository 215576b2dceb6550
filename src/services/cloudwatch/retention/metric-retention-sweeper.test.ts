import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger.js';
import { testContext } from '../../../../test/support/operation-context.js';
import { openSlice, TEST_SCOPE } from '../../../../test/support/slices.js';
import { CLOUDWATCH_SLICE, type CloudWatchStore } from '../store/cloudwatch-slice.js';
import { cloudWatchService } from '../cloudwatch-service.js';
import { MetricRetentionSweeper } from './metric-retention-sweeper.js';
import { toMetricPoints } from '../metrics/put-metric-data.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Data is written during the hour from T0, when it is recent; the clock then moves on. */
const T0 = Date.UTC(2026, 0, 10, 9, 0);

describe('MetricRetentionSweeper with the CloudWatch queries', () => {
  let store: CloudWatchStore & { close(): Promise<void> };
  let now: number;
  let sweeper: MetricRetentionSweeper;
  const clock = { now: () => now, monotonic: () => now };
  const cloudWatch = () => cloudWatchService({ store: store.metrics, clock, alarms: store.alarms }).operations;

  beforeEach(async () => {
    store = openSlice(CLOUDWATCH_SLICE);
    now = T0 + 3_600_000;
    // Seven rows a transaction, so a sweep takes several batches.
    sweeper = new MetricRetentionSweeper({ store: store.metrics, clock, logger: silentLogger, batchRows: 7 });
    // Minute m of the hour holds one value: m + 1.
    const data = Array.from({ length: 60 }, (_, m) => ({ MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'high' }], Timestamp: new Date(T0 + m * MIN), Value: m + 1, Unit: 'Count' }));
    await store.metrics.put(TEST_SCOPE, toMetricPoints('App', data, now));
  });
  afterEach(async () => {
    await sweeper.stop();
    await store.close();
  });

  const statistics = async (startTime: number, endTime: number, Period: number) =>
    (
      await cloudWatch().GetMetricStatistics!(
        {
          Namespace: 'App',
          MetricName: 'Jobs',
          Dimensions: [{ Name: 'Queue', Value: 'high' }],
          StartTime: new Date(startTime),
          EndTime: new Date(endTime),
          Period,
          Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum'],
          ExtendedStatistics: ['p50'],
        },
        testContext(),
      )
    ).Datapoints as { Timestamp: Date; SampleCount: number; Sum: number; Minimum: number; Maximum: number; ExtendedStatistics: Record<string, number> }[];
  const row = (d: Awaited<ReturnType<typeof statistics>>[number]) => [d.Timestamp.getTime() - T0, d.SampleCount, d.Sum, d.Minimum, d.Maximum];

  it('keeps minutes for 15 days', async () => {
    now = T0 + 15 * DAY;
    expect(await sweeper.sweep()).toEqual({ rolledUp: 0, deleted: 0 });
    expect((await statistics(T0, T0 + 3_600_000, 60)).length).toBe(60);
  });

  it('answers from five-minute rows past 15 days: Period 300 per five minutes, Period 60 not at all', async () => {
    now = T0 + 20 * DAY;
    expect(await sweeper.sweep()).toEqual({ rolledUp: 60, deleted: 0 });
    // Finer than the data kept at that age: no data points, as CloudWatch answers.
    expect(await statistics(T0, T0 + 3_600_000, 60)).toEqual([]);
    const perMinute = await statistics(T0, T0 + 3_600_000, 300);
    expect(perMinute.length).toBe(12);
    // Minutes 0-4 hold 1..5: one row at the bucket's start.
    expect(row(perMinute[0]!)).toEqual([0, 5, 15, 1, 5]);
    expect(row(perMinute[11]!)).toEqual([55 * MIN, 5, 290, 56, 60]);
    // Percentiles survive the merge (the histograms add).
    expect(perMinute[0]!.ExtendedStatistics.p50).toBeCloseTo(3, 1);
    // A start inside a bucket is rounded down to it, as CloudWatch rounds starts 15-63 days back.
    const fifteen = await statistics(T0 + 2 * MIN, T0 + 3_600_000, 900);
    expect(fifteen.map(row)).toEqual([
      [0, 15, 120, 1, 15],
      [15 * MIN, 15, 345, 16, 30],
      [30 * MIN, 15, 570, 31, 45],
      [45 * MIN, 15, 795, 46, 60],
    ]);
    // GetMetricData reads the same rows.
    const data = await cloudWatch().GetMetricData!(
      {
        StartTime: new Date(T0 + 2 * MIN),
        EndTime: new Date(T0 + 3_600_000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [{ Id: 'jobs', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'high' }] }, Period: 300, Stat: 'Sum' } }],
      },
      testContext(),
    );
    expect(data.MetricDataResults[0].Values.slice(0, 2)).toEqual([15, 40]);
    expect(data.MetricDataResults[0].Timestamps[0]).toEqual(new Date(T0));
  });

  it('answers from hour rows past 63 days, and forgets the data after 455', async () => {
    now = T0 + 20 * DAY;
    await sweeper.sweep();
    now = T0 + 70 * DAY;
    expect(await sweeper.sweep()).toEqual({ rolledUp: 12, deleted: 0 });
    const hour = await statistics(T0 + 25 * MIN, T0 + 3_600_000, 3600);
    expect(hour.map(row)).toEqual([[0, 60, 1830, 1, 60]]);
    expect(hour[0]!.ExtendedStatistics.p50).toBeCloseTo(30, 0);
    expect(await statistics(T0, T0 + 3_600_000, 300)).toEqual([]);
    now = T0 + 456 * DAY;
    expect(await sweeper.sweep()).toEqual({ rolledUp: 0, deleted: 1 });
    expect(await statistics(T0, T0 + 3_600_000, 3600)).toEqual([]);
  });

  it('rolls minutes older than 63 days straight into their hour', async () => {
    now = T0 + 64 * DAY;
    expect(await sweeper.sweep()).toEqual({ rolledUp: 60, deleted: 0 });
    expect((await statistics(T0, T0 + 3_600_000, 3600)).map(row)).toEqual([[0, 60, 1830, 1, 60]]);
  });

  it('joins a sweep under way rather than starting another', async () => {
    now = T0 + 20 * DAY;
    const [a, b] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    expect(a).toBe(b);
    expect(a.rolledUp).toBe(60);
  });
});
