/**
 * A per-minute metric aggregate: sample count, sum, minimum, maximum, and a sparse log-bucket
 * histogram from which percentiles are estimated. Buckets grow by a fixed ratio (DDSketch's
 * scheme, relative accuracy 1%), so a percentile is within 1% of a value actually seen while the
 * histogram stays small (a few hundred buckets cover nanoseconds to hours) and two aggregates
 * merge by adding bucket counts — which is what lets the store merge minutes written in batches.
 * StatisticValues (pre-aggregated sets) carry no distribution: they add to count/sum/min/max only.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */

/** Count/sum/min/max plus histogram bucket counts by bucket key (`p<i>`, `n<i>`, `z`). */
export interface MetricAggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  histogram: Record<string, number>;
}

const ACCURACY = 0.01;
const GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** An aggregate of no samples. */
export function emptyAggregate(): MetricAggregate {
  return { count: 0, sum: 0, min: Infinity, max: -Infinity, histogram: {} };
}

/** Adds `value` observed `times` times (PutMetricData's Values/Counts). */
export function addValue(agg: MetricAggregate, value: number, times = 1): void {
  if (times <= 0) return;
  agg.count += times;
  agg.sum += value * times;
  if (value < agg.min) agg.min = value;
  if (value > agg.max) agg.max = value;
  const key = bucketKey(value);
  agg.histogram[key] = (agg.histogram[key] ?? 0) + times;
}

/** Adds a pre-aggregated set (PutMetricData's StatisticValues). */
export function addStatisticSet(agg: MetricAggregate, set: { SampleCount: number; Sum: number; Minimum: number; Maximum: number }): void {
  agg.count += set.SampleCount;
  agg.sum += set.Sum;
  if (set.Minimum < agg.min) agg.min = set.Minimum;
  if (set.Maximum > agg.max) agg.max = set.Maximum;
}

/** Adds `from` into `into`. */
export function mergeAggregate(into: MetricAggregate, from: MetricAggregate): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
  for (const [key, n] of Object.entries(from.histogram)) into.histogram[key] = (into.histogram[key] ?? 0) + n;
}

/** The statistics CloudWatch names, plus `pNN` / `pNN.N` percentiles. */
export type StatisticName = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' | string;

/** Whether `name` is a percentile this aggregate can answer (`p0`..`p100`, decimals allowed). */
export function isPercentile(name: string): boolean {
  const m = /^p(\d{1,3}(?:\.\d{1,10})?)$/.exec(name);
  return m !== null && Number(m[1]) <= 100;
}

/** The statistic's value, or undefined when the aggregate cannot answer it (no samples, no histogram). */
export function statistic(agg: MetricAggregate, name: StatisticName): number | undefined {
  if (agg.count <= 0) return undefined;
  switch (name) {
    case 'SampleCount':
      return agg.count;
    case 'Sum':
      return agg.sum;
    case 'Average':
      return agg.sum / agg.count;
    case 'Minimum':
      return agg.min;
    case 'Maximum':
      return agg.max;
    default:
      return isPercentile(name) ? percentile(agg, Number(name.slice(1))) : undefined;
  }
}

/** The estimated `p`th percentile (nearest rank over the histogram), clamped to [min, max]. */
export function percentile(agg: MetricAggregate, p: number): number | undefined {
  const buckets = Object.entries(agg.histogram)
    .map(([key, n]) => [bucketValue(key), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, n] of buckets) {
    seen += n;
    if (seen >= rank) return Math.min(agg.max, Math.max(agg.min, value));
  }
  return agg.max;
}

function bucketKey(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return 'z';
  const i = Math.ceil(Math.log(Math.abs(value)) / LOG_GAMMA);
  return `${value > 0 ? 'p' : 'n'}${i}`;
}

/** The value a bucket stands for: the point of least relative error within it. */
function bucketValue(key: string): number {
  if (key === 'z') return 0;
  const i = Number(key.slice(1));
  const magnitude = (2 * GAMMA ** i) / (GAMMA + 1);
  return key.startsWith('n') ? -magnitude : magnitude;
}
