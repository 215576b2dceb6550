/**
 * Metric alarm evaluation, pure: given an alarm's rule, the datapoints of its evaluation range
 * and its current state, the state it should be in and why. CloudWatch's rules:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 *
 * - The evaluation range is Evaluation Periods (N) plus 2 periods (AWS's documented example:
 *   N = 3 reads 5), ending at the last whole minute; the minute in progress is not read.
 * - With N or more real datapoints in the range, the N most recent decide: ALARM when at least
 *   Datapoints to Alarm (M) breach, else OK. TreatMissingData does not matter.
 * - With none, TreatMissingData decides: missing → INSUFFICIENT_DATA, ignore → keep the state,
 *   breaching → ALARM, notBreaching → OK.
 * - With some, every real one counts and the missing ones fill up to N. When the real ones
 *   already decide (M breach, or more than N - M do not), that is the answer; otherwise
 *   breaching → ALARM, notBreaching → OK, and for missing/ignore: OK when any real one is
 *   within the threshold; else, if the oldest breaching datapoint among the last N periods is
 *   at least M periods old (a "premature" alarm is then not premature) missing → ALARM and
 *   ignore keeps the state; else the state is kept (AWS does not say; ALARM would be premature).
 * - Percentile alarms with EvaluateLowSampleCountPercentile `ignore` keep their state while the
 *   evaluated samples are fewer than 10/(1-p) (p ≥ 0.5) or 10/p (p < 0.5).
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/percentiles-with-low-samples.html
 */
import { statistic } from '../../../observe/metric-aggregate.js';
import type { AlarmStateValue } from '../store/alarm-store.js';
import type { MetricPoint } from '../../../observe/metric-point.js';
import { crossingReason, insufficientDataReason, noDataReason, reasonData, type ReasonDatapoint } from './alarm-reason.js';
import { periodAggregates } from '../metrics/metric-statistics.js';

/** The comparisons a static-threshold alarm can make (the statistic is the first operand). */
export const COMPARISONS: Readonly<Record<string, (value: number, threshold: number) => boolean>> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** What evaluation reads of an alarm. */
export interface AlarmRule {
  /** Seconds: 10, 20, 30 or a multiple of 60. */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData?: string;
  statistic?: string;
  extendedStatistic?: string;
  evaluateLowSampleCountPercentile?: string;
  unit?: string;
}

/** One period of the evaluation range; `value` is absent when the period had no data. */
export type AlarmDatapoint = ReasonDatapoint;

/** A decided state, with CloudWatch's StateReason and StateReasonData. */
export interface AlarmEvaluation {
  state: AlarmStateValue;
  reason: string;
  reasonData: string;
}

/** Periods read beyond Evaluation Periods, in case recent ones are missing. */
const EXTRA_PERIODS = 2;

/** The periods an evaluation at `now` reads: their starts, newest first, and the range they cover. */
export function evaluationRange(rule: AlarmRule, now: number): { start: number; end: number; timestamps: number[] } {
  // Sub-minute periods step by themselves; others end at the last whole minute.
  const step = rule.period < 60 ? rule.period * 1000 : 60_000;
  const end = Math.floor(now / step) * step;
  const periodMs = rule.period * 1000;
  const count = rule.evaluationPeriods + EXTRA_PERIODS;
  const timestamps = Array.from({ length: count }, (_, k) => end - (k + 1) * periodMs);
  return { start: end - count * periodMs, end, timestamps };
}

/** The range's datapoints (newest first) from the stored minutes of the alarm's metric. */
export function rangeDatapoints(rule: AlarmRule, range: { start: number; timestamps: number[] }, points: MetricPoint[]): AlarmDatapoint[] {
  // Without a Unit the alarm reads every unit as one series (AWS: "behaves unpredictably").
  const merged = periodAggregates(rule.unit === undefined ? points.map((p) => ({ ...p, unit: '' })) : points, range.start, rule.period);
  const byTimestamp = new Map(merged.map((p) => [p.timestamp, p.aggregate]));
  const stat = rule.statistic ?? rule.extendedStatistic!;
  return range.timestamps.map((timestamp) => {
    const aggregate = byTimestamp.get(timestamp);
    const value = aggregate ? statistic(aggregate, stat) : undefined;
    return value === undefined ? { timestamp } : { timestamp, value, sampleCount: aggregate!.count };
  });
}

/**
 * The state the alarm should be in given its range's datapoints (newest first), or undefined
 * when it keeps its current state (TreatMissingData `ignore`, too little data to say).
 */
export function evaluateAlarm(rule: AlarmRule, datapoints: AlarmDatapoint[], now: number): AlarmEvaluation | undefined {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm ?? n;
  const treat = rule.treatMissingData ?? 'missing';
  const breaches = (p: AlarmDatapoint) => COMPARISONS[rule.comparisonOperator]!(p.value!, rule.threshold);
  const real = datapoints.filter((p) => p.value !== undefined);
  const data = (evaluated: AlarmDatapoint[]) =>
    reasonData({ queryDate: now, unit: rule.unit, statistic: rule.statistic ?? rule.extendedStatistic!, period: rule.period, threshold: rule.threshold, evaluated });

  if (real.length === 0) {
    const evaluated = datapoints.slice(0, n);
    switch (treat) {
      case 'ignore':
        return undefined;
      case 'breaching':
        return { state: 'ALARM', reason: noDataReason(n, 'Breaching'), reasonData: data(evaluated) };
      case 'notBreaching':
        return { state: 'OK', reason: noDataReason(n, 'NonBreaching'), reasonData: data(evaluated) };
      default:
        return { state: 'INSUFFICIENT_DATA', reason: insufficientDataReason(n), reasonData: data(evaluated) };
    }
  }

  const counted = real.slice(0, n);
  if (lowSampleCount(rule, counted)) return undefined;
  const fill = n - counted.length;
  // The filled periods are the most recent missing ones: what StateReasonData shows as evaluated.
  const filledSlots = datapoints.filter((p) => p.value === undefined).slice(0, fill);
  const evaluated = [...counted, ...filledSlots].sort((a, b) => b.timestamp - a.timestamp);
  const breaching = counted.filter(breaches);
  const within = counted.filter((p) => !breaches(p));

  const alarm = (filled?: number): AlarmEvaluation => ({
    state: 'ALARM',
    reason: crossingReason({
      count: breaching.length + (filled ?? 0),
      evaluationPeriods: n,
      points: breaching,
      negated: false,
      comparisonOperator: rule.comparisonOperator,
      threshold: rule.threshold,
      minimum: m,
      transition: 'OK -> ALARM',
      filled: filled ? { count: filled, as: 'Breaching' } : undefined,
    }),
    reasonData: data(evaluated),
  });
  const ok = (filled?: number): AlarmEvaluation => ({
    state: 'OK',
    reason: crossingReason({
      count: within.length + (filled ?? 0),
      evaluationPeriods: n,
      points: within,
      negated: true,
      comparisonOperator: rule.comparisonOperator,
      threshold: rule.threshold,
      minimum: n - m + 1,
      transition: 'ALARM -> OK',
      filled: filled ? { count: filled, as: 'NonBreaching' } : undefined,
    }),
    reasonData: data(evaluated),
  });

  if (breaching.length >= m) return alarm();
  if (within.length > n - m) return ok();
  // Undecided by real data: only possible when some of the N were missing.
  if (treat === 'breaching') return alarm(fill);
  if (treat === 'notBreaching') return ok(fill);
  if (within.length > 0) return ok();
  if (treat === 'missing' && notPremature(datapoints.slice(0, n), m)) return alarm();
  return undefined;
}

/** The oldest real datapoint among the last N periods breaches and is at least M periods old. */
function notPremature(lastN: AlarmDatapoint[], m: number): boolean {
  let oldest = -1;
  lastN.forEach((p, i) => {
    if (p.value !== undefined) oldest = i;
  });
  return oldest >= 0 && oldest + 1 >= m;
}

/** Whether a percentile alarm that ignores low sample counts has too few samples to change state. */
function lowSampleCount(rule: AlarmRule, counted: AlarmDatapoint[]): boolean {
  if (rule.extendedStatistic === undefined || rule.evaluateLowSampleCountPercentile !== 'ignore') return false;
  const percent = Number(rule.extendedStatistic.slice(1));
  const needed = percent >= 50 ? (percent < 100 ? 1000 / (100 - percent) : 0) : percent > 0 ? 1000 / percent : 0;
  // Decimal percentiles (p99.9) make `needed` a hair above the round number it stands for.
  return counted.reduce((sum, d) => sum + (d.sampleCount ?? 0), 0) < needed * (1 - 1e-9);
}
