/**
 * Metric retention through a real server and the real SDK client. PutMetricData takes nothing
 * older than two weeks, so the aged minutes are written into the data dir's store before the
 * server starts; the server's start-up sweep rolls them up (five minutes past 15 days, hours past
 * 63, gone past 455) and CloudWatch's queries answer from what is left.
 */
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/store/sqlite/sqlite-database.js';
import { CLOUDWATCH_SLICE } from '../../src/services/cloudwatch/store/cloudwatch-slice.js';
import { CREDENTIALS, REGION, removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Whole hours 20, 70 and 500 days back: each holds 60 minutes, minute m with the value m + 1. */
const hourAgo = (days: number) => Math.floor((Date.now() - days * DAY) / HOUR) * HOUR;
const AGES = [20, 70, 500] as const;
const starts = Object.fromEntries(AGES.map((d) => [d, hourAgo(d)])) as Record<(typeof AGES)[number], number>;

let nimbus: NimbusProcess;
let cw: CloudWatchClient;

describe('CloudWatch metric retention', () => {
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-it-'));
    const database = new SqliteDatabase(join(dataDir, 'nimbus.db'), { accountId: '000000000000', region: REGION });
    const store = database.open(CLOUDWATCH_SLICE);
    await store.metrics.put(
      { accountId: '000000000000', region: REGION },
      AGES.flatMap((days) =>
        Array.from({ length: 60 }, (_, m) => ({
          namespace: 'Aged',
          metricName: `Jobs${days}`,
          dimensions: [{ name: 'Queue', value: 'high' }],
          unit: 'Count',
          timestamp: starts[days] + m * MIN,
          count: 1,
          sum: m + 1,
          min: m + 1,
          max: m + 1,
          histogram: {},
        })),
      ),
    );
    database.close();
    nimbus = await startNimbus({ dataDir, env: { NIMBUS_LOG_LEVEL: 'debug' } });
    cw = new CloudWatchClient({ endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
    await poll(async () => nimbus.logs.some((l) => l.msg === 'metric retention applied'), 10_000, 'the start-up metric retention sweep');
  });
  afterAll(async () => {
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
  });

  const datapoints = async (days: (typeof AGES)[number], from: number, Period: number) =>
    (
      await cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Aged',
          MetricName: `Jobs${days}`,
          Dimensions: [{ Name: 'Queue', Value: 'high' }],
          StartTime: new Date(starts[days] + from),
          EndTime: new Date(starts[days] + HOUR),
          Period,
          Statistics: ['SampleCount', 'Sum'],
        }),
      )
    ).Datapoints!.map((d) => [d.Timestamp!.getTime() - starts[days], d.SampleCount, d.Sum]).sort((a, b) => a[0]! - b[0]!);

  it('answers 20-day-old data in five-minute periods, and a Period of 60 with none, as CloudWatch does', async () => {
    expect(await datapoints(20, 0, 60)).toEqual([]);
    const points = await datapoints(20, 0, 300);
    expect(points.length).toBe(12);
    expect(points[0]).toEqual([0, 5, 15]);
    expect(points[11]).toEqual([55 * MIN, 5, 290]);
    // A start inside five minutes is rounded down to them.
    expect((await datapoints(20, 2 * MIN, 1800)).map((p) => p[2])).toEqual([465, 1365]);
  });

  it('answers 70-day-old data from its hour, and has forgotten 500-day-old data', async () => {
    expect(await datapoints(70, 25 * MIN, 3600)).toEqual([[0, 60, 1830]]);
    expect(await datapoints(70, 0, 300)).toEqual([]);
    expect(await datapoints(500, 0, 3600)).toEqual([]);
  });

  it('still lists only metrics with data in the last two weeks', async () => {
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Aged' }));
    expect(listed.Metrics).toEqual([]);
  });
});
