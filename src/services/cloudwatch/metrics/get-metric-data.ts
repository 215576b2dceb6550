/**
 * GetMetricData: MetricStat queries read one metric's minutes, merge them into their period and
 * compute their statistic; Expression queries compute metric math over other queries by Id
 * (metric-math*.ts), expressions over expressions included. Every query is computed, those with
 * `ReturnData: false` are not returned; an expression that yields an array of time series
 * returns one result per series under its Id. Results are newest first unless
 * `ScanBy: TimestampAscending`. A bad expression is a ValidationError naming its query. One call
 * computes one page of the time range (metric-data-page.ts), sized by MaxDatapoints before
 * anything is read; the rest comes with NextToken, or is PartialData for metric math.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
import type { MetricReader as MetricStore } from '../store/metric-store.js';
import { CloudWatchErrors, invalidNextToken, invalidParameter } from '../cloudwatch-errors.js';
import { evaluate, type MathValue, type Series } from '../metric-math/metric-math.js';
import { nodeCount } from '../metric-math/metric-math-parser.js';
import { describeType } from '../metric-math/metric-math-values.js';
import { MAX_DATAPOINTS, planPage, type Page } from './metric-data-page.js';
import { checkQueries, expressionError, type MetricDataQuery } from './metric-data-queries.js';
import { alignStart, periodAggregates, periodServable, statisticOf } from './metric-statistics.js';

interface GetMetricDataInput {
  MetricDataQueries: MetricDataQuery[];
  StartTime: Date;
  EndTime: Date;
  ScanBy?: string;
  NextToken?: string;
  MaxDatapoints?: number;
}

/** Answers a GetMetricData input from the store at `now` (which decides how the start is rounded). */
export async function getMetricData(store: MetricStore, input: GetMetricDataInput, now: number): Promise<Record<string, unknown>> {
  const queries = input.MetricDataQueries;
  const parsed = checkQueries(queries, input);
  if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampDescending' && input.ScanBy !== 'TimestampAscending') {
    throw invalidParameter(input.ScanBy, 'ScanBy');
  }
  if (input.MaxDatapoints !== undefined && input.MaxDatapoints < 1) throw invalidParameter(input.MaxDatapoints, 'MaxDatapoints');
  const math = parsed.size > 0;
  // CloudWatch issues no NextToken for metric math, so none can come back.
  if (math && input.NextToken !== undefined) throw invalidNextToken();

  const startTime = alignStart(input.StartTime.getTime(), now);
  const periods = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
  const defaultPeriod = periods.length > 0 ? Math.min(...periods) : 60;
  const page = planPage({
    start: startTime,
    end: input.EndTime.getTime(),
    queries: queries.map((q) => ({ period: q.MetricStat?.Period ?? q.Period ?? defaultPeriod, nodes: q.Expression === undefined ? 0 : nodeCount(parsed.get(q.Id)!) })),
    maxDatapoints: Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS, MAX_DATAPOINTS),
    ascending: input.ScanBy === 'TimestampAscending',
    token: input.NextToken,
    identity: JSON.stringify(queries.map((q) => [q.Id, q.MetricStat, q.Expression, q.Period])),
  });

  const metrics: { id: string; series: Series }[] = [];
  for (const q of queries) {
    if (!q.MetricStat) continue;
    // A Period finer than the data kept at that age gets no data points, as CloudWatch answers.
    const series = periodServable(q.MetricStat.Period, input.StartTime.getTime(), now)
      ? await readMetric(store, q, startTime, page, input.EndTime.getTime())
      : { label: q.MetricStat.Metric.MetricName!, period: q.MetricStat.Period, points: new Map<number, number>() };
    metrics.push({ id: q.Id, series });
  }
  const values = new Map<string, MathValue>(metrics.map((m) => [m.id, { type: 'TS', series: m.series }]));
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const evaluating = new Set<string>();
  const slotMs = Math.min(...queries.map((q) => q.MetricStat?.Period ?? q.Period ?? defaultPeriod)) * 1000;

  /** An expression's value, computed once, after the expressions it uses. */
  function valueOf(id: string): MathValue {
    const known = values.get(id);
    if (known) return known;
    if (evaluating.has(id)) throw CloudWatchErrors.validation(`Error in expression ${id}: Circular dependency: the expression refers back to itself.`);
    evaluating.add(id);
    const q = byId.get(id)!;
    const value = expressionError(id, () =>
      evaluate(parsed.get(id)!, {
        resolve: (ref) => (byId.has(ref) ? valueOf(ref) : undefined),
        metrics: () => metrics,
        origin: startTime,
        startTime: page.from,
        endTime: page.to,
        defaultPeriod: q.Period ?? defaultPeriod,
        maxGridPoints: Math.ceil((page.to - page.from) / slotMs) + 1,
      }),
    );
    if (value.type !== 'TS' && value.type !== 'TS[]') {
      throw CloudWatchErrors.validation(`Error in expression ${id}: The result of an expression must be a time series or an array of time series, not ${describeType(value)}.`);
    }
    evaluating.delete(id);
    values.set(id, value);
    return value;
  }

  const descending = input.ScanBy !== 'TimestampAscending';
  const status = page.complete ? 'Complete' : 'PartialData';
  const results = [];
  for (const q of queries) {
    const value = valueOf(q.Id);
    if (q.ReturnData === false) continue;
    if (value.type === 'TS') {
      const label = q.Label ?? (q.MetricStat ? value.series.label : q.Id);
      results.push(result(q.Id, label, value.series, descending, status));
    } else if (value.type === 'TS[]') {
      for (const s of value.list) results.push(result(q.Id, q.Label ? `${q.Label} ${s.label}` : s.label, s, descending, status));
    }
  }
  return { MetricDataResults: results, Messages: [], ...(page.nextToken && !math ? { NextToken: page.nextToken } : {}) };
}

/**
 * One MetricStat query's series on a page: the periods (counted from `origin`) that start in the
 * page, each from its stored rows merged, the statistic of each.
 */
async function readMetric(store: MetricStore, q: MetricDataQuery, origin: number, page: Page, endTime: number): Promise<Series> {
  const stat = q.MetricStat!;
  const periodMs = stat.Period * 1000;
  const first = origin + Math.ceil((page.from - origin) / periodMs) * periodMs;
  const last = origin + (Math.ceil((page.to - origin) / periodMs) - 1) * periodMs;
  const values = new Map<number, number>();
  const series = { label: stat.Metric.MetricName!, period: stat.Period, points: values };
  if (first > last) return series;
  const points = await store.points({
    metric: {
      namespace: stat.Metric.Namespace!,
      metricName: stat.Metric.MetricName!,
      dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
    },
    unit: stat.Unit,
    startTime: first,
    endTime: Math.min(endTime, last + periodMs),
  });
  // Units are merged here: a query names one series, whatever units its data came in.
  for (const period of periodAggregates(points.map((p) => ({ ...p, unit: '' })), origin, stat.Period)) {
    const value = statisticOf(period, stat.Stat);
    if (value !== undefined) values.set(period.timestamp, value);
  }
  return series;
}

function result(id: string, label: string, series: Series, descending: boolean, status: string) {
  const times = [...series.points.keys()].sort((a, b) => (descending ? b - a : a - b));
  return { Id: id, Label: label, Timestamps: times.map((t) => new Date(t)), Values: times.map((t) => series.points.get(t)!), StatusCode: status };
}
