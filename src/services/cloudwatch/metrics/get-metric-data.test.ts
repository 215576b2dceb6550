import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addValue, emptyAggregate } from '../../../observe/metric-aggregate.js';
import { AwsError } from '../../../shared/errors.js';
import { openSlice, TEST_SCOPE } from '../../../../test/support/slices.js';
import { CLOUDWATCH_SLICE, type CloudWatchStore } from '../store/cloudwatch-slice.js';
import { readerOf } from '../store/metric-store.js';
import { getMetricData } from './get-metric-data.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const minute = (n: number) => new Date(T0 + n * 60_000);
let store: CloudWatchStore & { close(): Promise<void> };

async function put(metricName: string, values: (number | undefined)[]) {
  await store.metrics.put(
    TEST_SCOPE,
    values.flatMap((v, i) => {
      if (v === undefined) return [];
      const aggregate = emptyAggregate();
      addValue(aggregate, v);
      return [{ namespace: 'Test', metricName, dimensions: [], unit: 'Count', timestamp: T0 + i * 60_000, ...aggregate }];
    }),
  );
}
const stat = (Id: string, MetricName: string, extra = {}) => ({ Id, MetricStat: { Metric: { Namespace: 'Test', MetricName }, Period: 60, Stat: 'Sum' }, ...extra });
const query = (MetricDataQueries: object[], ScanBy = 'TimestampAscending') =>
  getMetricData(readerOf(store.metrics, TEST_SCOPE), { MetricDataQueries: MetricDataQueries as never, StartTime: minute(0), EndTime: minute(4), ScanBy }, minute(5).getTime());
async function failure(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected a failure');
}

beforeEach(async () => {
  store = openSlice(CLOUDWATCH_SLICE);
  await put('Errors', [1, 0, undefined, 3]);
  await put('Invocations', [4, 0, 2, 6]);
});
afterEach(() => store.close());

describe('getMetricData with expressions', () => {
  it('computes an error rate from hidden series, aligned by period, newest first by default', async () => {
    const out = await query(
      [stat('errors', 'Errors', { ReturnData: false }), stat('invocations', 'Invocations', { ReturnData: false }), { Id: 'rate', Expression: '100*errors/invocations', Label: 'Error rate' }],
      'TimestampDescending',
    );
    expect(out.MetricDataResults).toEqual([
      { Id: 'rate', Label: 'Error rate', Timestamps: [minute(3), minute(2), minute(0)], Values: [50, 0, 25], StatusCode: 'Complete' },
    ]);
  });

  it('evaluates expressions of expressions in dependency order, whatever the request order', async () => {
    const out = await query([{ Id: 'twice', Expression: 'sum * 2' }, { Id: 'sum', Expression: 'SUM(METRICS())', ReturnData: false }, stat('e', 'Errors'), stat('i', 'Invocations')]);
    const results = out.MetricDataResults as { Id: string; Label: string; Values: number[] }[];
    expect(results.map((r) => [r.Id, r.Label, r.Values])).toEqual([
      ['twice', 'twice', [10, 0, 4, 18]],
      ['e', 'Errors', [1, 0, 3]],
      ['i', 'Invocations', [4, 0, 2, 6]],
    ]);
  });

  it('returns one result per series of an array, labelled by metric after the expression label', async () => {
    const out = await query([stat('e', 'Errors', { ReturnData: false }), stat('i', 'Invocations', { ReturnData: false }), { Id: 'all', Expression: 'FILL(METRICS(), 0)', Label: 'Filled' }]);
    const results = out.MetricDataResults as { Id: string; Label: string; Values: number[] }[];
    expect(results.map((r) => [r.Id, r.Label, r.Values])).toEqual([
      ['all', 'Filled Errors', [1, 0, 0, 3]],
      ['all', 'Filled Invocations', [4, 0, 2, 6]],
    ]);
  });

  it('answers a bad expression with a ValidationError naming the query', async () => {
    const bad = async (queries: object[]) => {
      const err = await failure(query(queries));
      expect(err).toMatchObject({ code: 'ValidationError', status: 400 });
      return err.message;
    };
    expect(await bad([stat('e', 'Errors'), { Id: 'x', Expression: 'e +' }])).toBe('Error in expression x: Unexpected end of expression.');
    expect(await bad([{ Id: 'x', Expression: 'missing * 2' }])).toBe("Error in expression x: Unrecognized id 'missing': no query in the request has this Id.");
    expect(await bad([{ Id: 'a', Expression: 'b + 1' }, { Id: 'b', Expression: 'a + 1' }])).toBe('Error in expression a: Circular dependency: the expression refers back to itself.');
    expect(await bad([stat('e', 'Errors'), { Id: 'x', Expression: 'AVG(e)' }])).toBe(
      'Error in expression x: The result of an expression must be a time series or an array of time series, not a scalar.',
    );
    expect(await bad([{ Id: 'x', Expression: 'SELECT AVG(Errors) FROM Test' }])).toContain('Metrics Insights queries');
    const both = await failure(query([{ Id: 'x', Expression: '1', MetricStat: stat('e', 'Errors').MetricStat }]));
    expect(both.code).toBe('InvalidParameterCombinationException');
  });
});
