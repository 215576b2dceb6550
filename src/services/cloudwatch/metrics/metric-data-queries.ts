/**
 * GetMetricData's queries checked as CloudWatch checks them, and their expressions parsed, before
 * anything is read: Ids, MetricStat or Expression (not both), statistics, units, periods,
 * expressions that name only Ids of the request.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
 */
import { isPercentile } from '../../../observe/metric-aggregate.js';
import { CloudWatchErrors, invalidParameter } from '../cloudwatch-errors.js';
import { MetricMathError, parseMetricMath, referencedIds, type MathNode } from '../metric-math/metric-math-parser.js';
import { checkRange } from './metric-statistics.js';
import { BASIC_STATISTICS, STANDARD_UNITS } from './metric-units.js';

/** MetricDataQuery as the model shapes it. */
export interface MetricDataQuery {
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

/** Checks every query; returns the parsed expressions by Id. */
export function checkQueries(queries: MetricDataQuery[], range: { StartTime: Date; EndTime: Date }): Map<string, MathNode> {
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw CloudWatchErrors.invalidValue(`The collection MetricDataQueries must have between 1 and ${MAX_QUERIES} members.`);
  }
  const ids = new Set<string>();
  queries.forEach((q, i) => check(q, `MetricDataQueries.member.${i + 1}`, ids, range));
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
  return parsed;
}

/** Runs `f`, turning a metric math problem into AWS's ValidationError for query `id`. */
export function expressionError<T>(id: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof MetricMathError) throw CloudWatchErrors.validation(`Error in expression ${id}: ${err.message}`);
    throw err;
  }
}

function check(q: MetricDataQuery, at: string, ids: Set<string>, range: { StartTime: Date; EndTime: Date }): void {
  if (!ID.test(q.Id)) {
    throw CloudWatchErrors.invalidValue(`The value ${q.Id} for parameter ${at}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
  }
  if (ids.has(q.Id)) throw CloudWatchErrors.invalidValue(`The value ${q.Id} for parameter ${at}.Id is used more than once.`);
  ids.add(q.Id);
  if (q.Expression !== undefined) {
    if (q.MetricStat !== undefined) {
      throw CloudWatchErrors.invalidCombination(`The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`);
    }
    if (q.Period !== undefined) checkRange(range.StartTime, range.EndTime, q.Period, `${at}.Period`);
    return;
  }
  const stat = q.MetricStat;
  if (!stat) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat or ${at}.Expression is required.`);
  if (!stat.Metric.Namespace) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
  if (!stat.Metric.MetricName) throw CloudWatchErrors.missingParameter(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
  if (!BASIC_STATISTICS.has(stat.Stat) && !isPercentile(stat.Stat)) throw invalidParameter(stat.Stat, `${at}.MetricStat.Stat`);
  if (stat.Unit !== undefined && !STANDARD_UNITS.has(stat.Unit)) throw invalidParameter(stat.Unit, `${at}.MetricStat.Unit`);
  checkRange(range.StartTime, range.EndTime, stat.Period, `${at}.MetricStat.Period`);
}
