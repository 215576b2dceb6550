/**
 * GetMetricData: MetricStat queries read one metric's minutes, merge them into their period and
 * compute their statistic; Expression queries compute metric math over other queries by Id
 * (metric-math*.ts), expressions over expressions included. Every query is computed, those with
 * `ReturnData: false` are not returned; an expression that yields an array of time series
 * returns one result per series under its Id. Results are newest first unless
 * `ScanBy: TimestampAscending`. A bad expression is a ValidationError naming its query.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
import { isPercentile } from '../../observe/metric-aggregate.js';
import type { MetricReader as MetricStore } from './store/metric-store.js';
import { CloudWatchErrors, invalidNextToken, invalidParameter } from './cloudwatch-errors.js';
import { evaluate, type MathValue, type Series } from './metric-math.js';
import { MetricMathError, parseMetricMath, referencedIds, type MathNode } from './metric-math-parser.js';
import { describeType } from './metric-math-values.js';
import { alignStart, checkRange, periodAggregates, periodServable, statisticOf } from './metric-statistics.js';
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

interface GetMetricDataInput {
  MetricDataQueries: MetricDataQuery[];
  StartTime: Date;
  EndTime: Date;
  ScanBy?: string;
  NextToken?: string;
}

const MAX_QUERIES = 500;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Answers a GetMetricData input from the store at `now` (which decides how the start is rounded). */
export async function getMetricData(store: MetricStore, input: GetMetricDataInput, now: number): Promise<Record<string, unknown>> {
  const queries = input.MetricDataQueries;
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw CloudWatchErrors.invalidValue(`The collection MetricDataQueries must have between 1 and ${MAX_QUERIES} members.`);
  }
  if (input.NextToken !== undefined) throw invalidNextToken();
  if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampDescending' && input.ScanBy !== 'TimestampAscending') {
    throw invalidParameter(input.ScanBy, 'ScanBy');
  }
  const ids = new Set<string>();
  queries.forEach((q, i) => check(q, `MetricDataQueries.member.${i + 1}`, ids, input));
  const parsed = new Map<string, MathNode>();
  for (const q of queries) {
    if (q.Expression === undefined) continue;
    if (/^\s*SELECT\b/i.test(q.Expression)) {
      throw CloudWatchErrors.validation(`Error in expression ${q.Id}: Metrics Insights queries (SELECT ...) are not supported by Nimbus yet; use metric math.`);
    }
    const tree = expressionError(q.Id, () => parseMetricMath(q.Expression!));
    for (const id of referencedIds(tree)) {
      if (!ids.has(id)) throw CloudWatchErrors.validation(`Error in expression ${q.Id}: Unrecognized id '${id}': no query in the request has this Id.`);
    }
    parsed.set(q.Id, tree);
  }

  const metrics: { id: string; series: Series }[] = [];
  const startTime = alignStart(input.StartTime.getTime(), now);
  for (const q of queries) {
    if (!q.MetricStat) continue;
    // A Period finer than the data kept at that age gets no data points, as CloudWatch answers.
    const series = periodServable(q.MetricStat.Period, input.StartTime.getTime(), now)
      ? await readMetric(store, q, startTime, input.EndTime.getTime())
      : { label: q.MetricStat.Metric.MetricName!, period: q.MetricStat.Period, points: new Map<number, number>() };
    metrics.push({ id: q.Id, series });
  }
  const values = new Map<string, MathValue>(metrics.map((m) => [m.id, { type: 'TS', series: m.series }]));
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const periods = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
  const evaluating = new Set<string>();

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
        startTime,
        endTime: input.EndTime.getTime(),
        defaultPeriod: q.Period ?? (periods.length > 0 ? Math.min(...periods) : 60),
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
  const results = [];
  for (const q of queries) {
    const value = valueOf(q.Id);
    if (q.ReturnData === false) continue;
    if (value.type === 'TS') {
      const label = q.Label ?? (q.MetricStat ? value.series.label : q.Id);
      results.push(result(q.Id, label, value.series, descending));
    } else if (value.type === 'TS[]') {
      for (const s of value.list) results.push(result(q.Id, q.Label ? `${q.Label} ${s.label}` : s.label, s, descending));
    }
  }
  return { MetricDataResults: results, Messages: [] };
}

/** One MetricStat query's series: its stored rows from `startTime` (aligned) merged into periods, the statistic of each. */
async function readMetric(store: MetricStore, q: MetricDataQuery, startTime: number, endTime: number): Promise<Series> {
  const stat = q.MetricStat!;
  const points = await store.points({
    metric: {
      namespace: stat.Metric.Namespace!,
      metricName: stat.Metric.MetricName!,
      dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
    },
    unit: stat.Unit,
    startTime,
    endTime,
  });
  // Units are merged here: a query names one series, whatever units its data came in.
  const merged = periodAggregates(points.map((p) => ({ ...p, unit: '' })), startTime, stat.Period);
  const values = new Map<number, number>();
  for (const period of merged) {
    const value = statisticOf(period, stat.Stat);
    if (value !== undefined) values.set(period.timestamp, value);
  }
  return { label: stat.Metric.MetricName!, period: stat.Period, points: values };
}

function result(id: string, label: string, series: Series, descending: boolean) {
  const times = [...series.points.keys()].sort((a, b) => (descending ? b - a : a - b));
  return { Id: id, Label: label, Timestamps: times.map((t) => new Date(t)), Values: times.map((t) => series.points.get(t)!), StatusCode: 'Complete' };
}

/** Runs `f`, turning a metric math problem into AWS's ValidationError for query `id`. */
function expressionError<T>(id: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof MetricMathError) throw CloudWatchErrors.validation(`Error in expression ${id}: ${err.message}`);
    throw err;
  }
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
    if (q.Period !== undefined) checkRange(input.StartTime, input.EndTime, q.Period, `${at}.Period`);
    return;
  }
  const stat = q.MetricStat;
  if (!stat) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat or ${at}.Expression is required.`);
  if (!stat.Metric.Namespace) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
  if (!stat.Metric.MetricName) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
  if (!BASIC_STATISTICS.has(stat.Stat) && !isPercentile(stat.Stat)) throw invalidParameter(stat.Stat, `${at}.MetricStat.Stat`);
  if (stat.Unit !== undefined && !STANDARD_UNITS.has(stat.Unit)) throw invalidParameter(stat.Unit, `${at}.MetricStat.Unit`);
  checkRange(input.StartTime, input.EndTime, stat.Period, `${at}.MetricStat.Period`);
}
