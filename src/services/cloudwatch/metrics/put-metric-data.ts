/**
 * PutMetricData's input checked as AWS checks it and turned into per-minute points for the store.
 * Limits: 1000 metric data per request, 150 Values per datum (Counts the same length), 30
 * dimensions with unique names, values within ±1.174271e+108 and not NaN/Infinity, timestamps
 * within two weeks back and two hours ahead, no `AWS/` namespace (reserved for AWS's own).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import { addStatisticSet, addValue, emptyAggregate, type MetricAggregate } from '../../../observe/metric-aggregate.js';
import type { MetricPoint } from '../../../observe/metric-point.js';
import { CloudWatchErrors, invalidParameter } from '../cloudwatch-errors.js';
import { STANDARD_UNITS } from './metric-units.js';

/** MetricDatum as the model shapes it (handler input). */
export interface MetricDatum {
  MetricName: string;
  Dimensions?: { Name: string; Value: string }[];
  Timestamp?: Date;
  Value?: number;
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
  StorageResolution?: number;
}

const MAX_DATA = 1000;
const MAX_VALUES = 150;
const MAX_MAGNITUDE = 1.174271e108;
const MIN_MAGNITUDE = 8.515920e-109;
const TWO_WEEKS_MS = 14 * 24 * 3600_000;
const TWO_HOURS_MS = 2 * 3600_000;
/** Minutes are the store's resolution (see metric-store.ts). */
export const MINUTE_MS = 60_000;

/** Checks every datum, then returns one point per datum (merged by the store), all or nothing. */
export function toMetricPoints(namespace: string, data: MetricDatum[], now: number): MetricPoint[] {
  if (namespace.startsWith('AWS/')) throw invalidParameter(namespace, 'Namespace');
  if (data.length > MAX_DATA) {
    throw CloudWatchErrors.invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);
  }
  return data.map((datum, i) => toPoint(namespace, datum, `MetricData.member.${i + 1}`, now));
}

function toPoint(namespace: string, d: MetricDatum, at: string, now: number): MetricPoint {
  const unit = d.Unit ?? 'None';
  if (!STANDARD_UNITS.has(unit)) throw invalidParameter(unit, `${at}.Unit`);
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60) {
    throw invalidParameter(d.StorageResolution, `${at}.StorageResolution`);
  }
  const time = d.Timestamp?.getTime() ?? now;
  if (time < now - TWO_WEEKS_MS) {
    throw CloudWatchErrors.invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past.`);
  }
  if (time > now + TWO_HOURS_MS) {
    throw CloudWatchErrors.invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
  }
  const dimensions = checkDimensions(d.Dimensions ?? [], at);
  return {
    namespace,
    metricName: d.MetricName,
    dimensions,
    unit,
    timestamp: Math.floor(time / MINUTE_MS) * MINUTE_MS,
    ...aggregate(d, at),
  };
}

function checkDimensions(dims: { Name: string; Value: string }[], at: string): { name: string; value: string }[] {
  const seen = new Set<string>();
  for (const [i, dim] of dims.entries()) {
    if (seen.has(dim.Name)) {
      throw CloudWatchErrors.invalidValue(`No metric may have duplicate dimension names. ${at}.Dimensions.member.${i + 1}.Name is a duplicate.`);
    }
    seen.add(dim.Name);
  }
  return dims.map((dim) => ({ name: dim.Name, value: dim.Value })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function aggregate(d: MetricDatum, at: string): MetricAggregate {
  const given = [d.Value !== undefined && 'Value', d.StatisticValues !== undefined && 'StatisticValues', d.Values !== undefined && 'Values'].filter(
    (x): x is string => typeof x === 'string',
  );
  if (given.length > 1) {
    throw CloudWatchErrors.invalidCombination(
      `The parameters ${given.map((g) => `${at}.${g}`).join(' and ')} are mutually exclusive and you have specified both.`,
    );
  }
  if (given.length === 0) {
    throw CloudWatchErrors.missingParameter(`The parameter ${at}.Value, ${at}.StatisticValues or ${at}.Values is required.`);
  }
  if (d.Counts !== undefined && d.Values === undefined) {
    throw CloudWatchErrors.invalidCombination(`The parameter ${at}.Counts requires ${at}.Values.`);
  }
  const agg = emptyAggregate();
  if (d.Value !== undefined) addValue(agg, checkValue(d.Value, `${at}.Value`));
  else if (d.StatisticValues) {
    const s = d.StatisticValues;
    for (const key of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const) checkValue(s[key], `${at}.StatisticValues.${key}`);
    if (s.SampleCount <= 0) throw invalidParameter(s.SampleCount, `${at}.StatisticValues.SampleCount`);
    if (s.Minimum > s.Maximum) {
      throw CloudWatchErrors.invalidValue(`The parameter ${at}.StatisticValues.Minimum must be less than or equal to ${at}.StatisticValues.Maximum.`);
    }
    addStatisticSet(agg, s);
  } else {
    const values = d.Values!;
    const counts = d.Counts;
    if (values.length > MAX_VALUES) {
      throw CloudWatchErrors.invalidValue(`The collection ${at}.Values must not have a size greater than ${MAX_VALUES}.`);
    }
    if (counts && counts.length !== values.length) {
      throw CloudWatchErrors.invalidValue(`The parameters ${at}.Values and ${at}.Counts must be arrays of the same length.`);
    }
    values.forEach((v, j) => {
      const count = counts ? checkValue(counts[j]!, `${at}.Counts.member.${j + 1}`) : 1;
      if (count < 0) throw invalidParameter(count, `${at}.Counts.member.${j + 1}`);
      addValue(agg, checkValue(v, `${at}.Values.member.${j + 1}`), count);
    });
  }
  return agg;
}

/** CloudWatch rejects NaN, infinities and magnitudes it cannot store (it accepts 0). */
function checkValue(v: number, parameter: string): number {
  const magnitude = Math.abs(v);
  if (!Number.isFinite(v) || magnitude > MAX_MAGNITUDE || (magnitude !== 0 && magnitude < MIN_MAGNITUDE)) {
    throw invalidParameter(v, parameter);
  }
  return v;
}
