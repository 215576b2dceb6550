/**
 * GetMetricData for MetricStat queries: each query reads one metric's minutes, merges them into
 * its period and computes its statistic; results are per query Id, newest first unless
 * `ScanBy: TimestampAscending`. Metric math (`Expression`) is refused with a clear error.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
import { isPercentile } from '../../observe/metric-aggregate.js';
import type { MetricStore } from '../../store/store.js';
import { CloudWatchErrors, invalidParameter } from './cloudwatch-errors.js';
import { alignStart, checkRange, periodAggregates, statisticOf } from './metric-statistics.js';
import { BASIC_STATISTICS, STANDARD_UNITS } from './metric-units.js';

/** MetricDataQuery as the model shapes it. */
interface MetricDataQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
    Unit?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

const MAX_QUERIES = 500;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Answers a GetMetricData input from the store. */
export async function getMetricData(
  store: MetricStore,
  input: { MetricDataQueries: MetricDataQuery[]; StartTime: Date; EndTime: Date; ScanBy?: string; NextToken?: string },
): Promise<Record<string, unknown>> {
  const queries = input.MetricDataQueries;
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw CloudWatchErrors.invalidValue(`The collection MetricDataQueries must have between 1 and ${MAX_QUERIES} members.`);
  }
  if (input.NextToken !== undefined) throw CloudWatchErrors.invalidNextToken();
  if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampDescending' && input.ScanBy !== 'TimestampAscending') {
    throw invalidParameter(input.ScanBy, 'ScanBy');
  }
  const ids = new Set<string>();
  queries.forEach((q, i) => check(q, `MetricDataQueries.member.${i + 1}`, ids, input));
  const descending = input.ScanBy !== 'TimestampAscending';
  const results = [];
  for (const q of queries) {
    if (q.ReturnData === false) continue;
    const stat = q.MetricStat!;
    const points = await store.points({
      metric: {
        namespace: stat.Metric.Namespace!,
        metricName: stat.Metric.MetricName!,
        dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      },
      unit: stat.Unit,
      startTime: alignStart(input.StartTime.getTime()),
      endTime: input.EndTime.getTime(),
    });
    // Units are merged here: a query names one series, whatever units its data came in.
    const merged = periodAggregates(points.map((p) => ({ ...p, unit: '' })), input.StartTime.getTime(), stat.Period);
    const timestamps: Date[] = [];
    const values: number[] = [];
    for (const period of merged) {
      const value = statisticOf(period, stat.Stat);
      if (value === undefined) continue;
      timestamps.push(new Date(period.timestamp));
      values.push(value);
    }
    if (descending) {
      timestamps.reverse();
      values.reverse();
    }
    results.push({ Id: q.Id, Label: q.Label ?? stat.Metric.MetricName, Timestamps: timestamps, Values: values, StatusCode: 'Complete' });
  }
  return { MetricDataResults: results, Messages: [] };
}

function check(q: MetricDataQuery, at: string, ids: Set<string>, input: { StartTime: Date; EndTime: Date }): void {
  if (!ID.test(q.Id)) {
    throw CloudWatchErrors.invalidValue(`The value ${q.Id} for parameter ${at}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
  }
  if (ids.has(q.Id)) throw CloudWatchErrors.invalidValue(`The value ${q.Id} for parameter ${at}.Id is used more than once.`);
  ids.add(q.Id);
  if (q.Expression !== undefined) {
    if (q.MetricStat !== undefined) {
      throw CloudWatchErrors.invalidCombination(`The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`);
    }
    throw CloudWatchErrors.invalidValue(`${at}.Expression: metric math expressions are not supported by Nimbus yet; use MetricStat.`);
  }
  const stat = q.MetricStat;
  if (!stat) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat or ${at}.Expression is required.`);
  if (!stat.Metric.Namespace) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
  if (!stat.Metric.MetricName) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
  if (!BASIC_STATISTICS.has(stat.Stat) && !isPercentile(stat.Stat)) throw invalidParameter(stat.Stat, `${at}.MetricStat.Stat`);
  if (stat.Unit !== undefined && !STANDARD_UNITS.has(stat.Unit)) throw invalidParameter(stat.Unit, `${at}.MetricStat.Unit`);
  checkRange(input.StartTime, input.EndTime, stat.Period, `${at}.MetricStat.Period`);
}
