/**
 * GetMetricData bounded by MaxDatapoints before anything is computed: the request that made the
 * server allocate 1.2–1.4 GB (1970–2100, RUNNING_SUM(FILL(m1, REPEAT))) is one page of PartialData,
 * MetricStat requests page with NextToken, and every page together is the whole answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addValue, emptyAggregate } from '../../../observe/metric-aggregate.js';
import { AwsError } from '../../../shared/errors.js';
import { openSlice, TEST_SCOPE } from '../../../../test/support/slices.js';
import { CLOUDWATCH_SLICE, type CloudWatchStore } from '../store/cloudwatch-slice.js';
import { readerOf } from '../store/metric-store.js';
import { getMetricData } from './get-metric-data.js';
import { MAX_DATAPOINTS } from './metric-data-page.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const T0 = NOW - 60 * MIN;
let store: CloudWatchStore & { close(): Promise<void> };

beforeEach(async () => {
  store = openSlice(CLOUDWATCH_SLICE);
  await store.metrics.put(
    TEST_SCOPE,
    Array.from({ length: 60 }, (_, i) => {
      const aggregate = emptyAggregate();
      addValue(aggregate, i + 1);
      return { namespace: 'Test', metricName: 'Jobs', dimensions: [], unit: 'Count', timestamp: T0 + i * MIN, ...aggregate };
    }),
  );
});
afterEach(() => store.close());

const m1 = { Id: 'm1', MetricStat: { Metric: { Namespace: 'Test', MetricName: 'Jobs' }, Period: 60, Stat: 'Sum' } };
type Result = { Id: string; Timestamps: Date[]; Values: number[]; StatusCode: string };
const call = (o: Record<string, unknown>) =>
  getMetricData(readerOf(store.metrics, TEST_SCOPE), { MetricDataQueries: [m1], StartTime: new Date(T0), EndTime: new Date(NOW), ...o } as never, NOW) as Promise<{
    MetricDataResults: Result[];
    NextToken?: string;
  }>;
async function failure(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected a failure');
}

describe('GetMetricData within MaxDatapoints', () => {
  it('answers the request that took 1.4 GB (1970–2100, by the minute) with one bounded page of PartialData', async () => {
    const started = Date.now();
    const out = await call({
      MetricDataQueries: [{ ...m1, ReturnData: false }, { Id: 'e1', Expression: 'RUNNING_SUM(FILL(m1, REPEAT))' }],
      StartTime: new Date(0),
      EndTime: new Date(Date.UTC(2100, 0, 1)),
    });
    expect(out.NextToken).toBeUndefined();
    expect(out.MetricDataResults.map((r) => r.StatusCode)).toEqual(['PartialData']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fills the newest MaxDatapoints periods it can, shared by the queries', async () => {
    const hourly = { ...m1, MetricStat: { ...m1.MetricStat, Period: 3600 } };
    const out = await call({
      MetricDataQueries: [{ ...hourly, ReturnData: false }, { Id: 'e1', Expression: 'RUNNING_SUM(FILL(m1, REPEAT))' }],
      StartTime: new Date(0),
    });
    const [result] = out.MetricDataResults;
    expect([result!.StatusCode, result!.Values.length, out.NextToken]).toEqual(['PartialData', MAX_DATAPOINTS / 2, undefined]);
    expect(result!.Values[0]).toBe((MAX_DATAPOINTS / 2) * 1830);
  });

  it('pages MetricStat queries with NextToken, newest first, every point once', async () => {
    const pages: Result[] = [];
    let token: string | undefined;
    do {
      const out: { MetricDataResults: Result[]; NextToken?: string } = await call({ MaxDatapoints: 25, NextToken: token });
      pages.push(out.MetricDataResults[0]!);
      token = out.NextToken;
    } while (token);
    expect(pages.map((p) => [p.Values.length, p.StatusCode])).toEqual([[25, 'PartialData'], [25, 'PartialData'], [10, 'Complete']]);
    expect(pages.flatMap((p) => p.Values)).toEqual(Array.from({ length: 60 }, (_, i) => 60 - i));
  });

  it.each([
    [{ MaxDatapoints: 0 }, 'InvalidParameterValueException', 'The value 0 for parameter MaxDatapoints is invalid.'],
    [{ NextToken: 'abc' }, 'InvalidNextToken', 'The service cannot process the NextToken you specified.'],
    [{ MetricDataQueries: [m1, { Id: 'e1', Expression: 'm1 * 2' }], NextToken: 'abc' }, 'InvalidNextToken', 'The service cannot process the NextToken you specified.'],
  ])('refuses %j', async (o, code, message) => {
    expect(await failure(call(o))).toMatchObject({ code, message });
  });
});
