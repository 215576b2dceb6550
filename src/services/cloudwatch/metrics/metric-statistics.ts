/**
 * Stored minutes → CloudWatch datapoints: minutes are merged into periods counted from the start
 * time (rounded down to the minute), one datapoint per period and unit that has data; periods
 * without data are left out, as CloudWatch does. Pure: GetMetricStatistics and GetMetricData
 * both use it, and alarms will.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 */
import { emptyAggregate, mergeAggregate, statistic, type MetricAggregate } from '../../../observe/metric-aggregate.js';
import type { MetricPoint } from '../../../observe/metric-point.js';
import { CloudWatchErrors } from '../cloudwatch-errors.js';
import { storagePeriodMs } from '../retention/metric-retention.js';
import { MINUTE_MS } from './put-metric-data.js';

/** One period of one unit, merged. */
export interface PeriodAggregate {
  /** Start of the period, ms. */
  timestamp: number;
  unit: string;
  aggregate: MetricAggregate;
}

/**
 * The first time a query covers: CloudWatch rounds the start down to the resolution its data is
 * kept in at that age (a minute, five minutes past 15 days, an hour past 63 days), so a query
 * never starts inside a rolled-up row.
 */
export const alignStart = (startTime: number, now: number): number => {
  const step = storagePeriodMs(startTime, now);
  return Math.floor(startTime / step) * step;
};

/**
 * Whether a Period can be answered from data starting at `startTime`: it must be a multiple of
 * the resolution kept at that age, or CloudWatch returns no data points (API reference, Period:
 * multiples of 300 s for starts 15 to 63 days back, of 3,600 s beyond).
 */
export const periodServable = (periodSeconds: number, startTime: number, now: number): boolean =>
  (periodSeconds * 1000) % storagePeriodMs(startTime, now) === 0;

/**
 * Merges stored rows into periods of `periodSeconds` from `startTime` (rounded down to the
 * minute; callers pass `alignStart`'s), ordered by time then unit. Callers check
 * `periodServable` first, so a period never splits a rolled-up row.
 */
export function periodAggregates(points: MetricPoint[], startTime: number, periodSeconds: number): PeriodAggregate[] {
  const start = Math.floor(startTime / MINUTE_MS) * MINUTE_MS;
  const periodMs = periodSeconds * 1000;
  const byKey = new Map<string, PeriodAggregate>();
  for (const p of points) {
    const timestamp = start + Math.floor((p.timestamp - start) / periodMs) * periodMs;
    const key = `${timestamp}\u0000${p.unit}`;
    let period = byKey.get(key);
    if (!period) {
      period = { timestamp, unit: p.unit, aggregate: emptyAggregate() };
      byKey.set(key, period);
    }
    mergeAggregate(period.aggregate, p);
  }
  return [...byKey.values()].sort((a, b) => a.timestamp - b.timestamp || (a.unit < b.unit ? -1 : 1));
}

/**
 * Checks a query's period and time range as CloudWatch does. Nimbus keeps minutes, so a period
 * must be a multiple of 60 (CloudWatch also allows 1–30 s, for high-resolution metrics only).
 */
export function checkRange(startTime: Date, endTime: Date, period: number, parameter = 'Period'): void {
  if (startTime.getTime() >= endTime.getTime()) {
    throw CloudWatchErrors.invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  }
  if (period % 60 !== 0) {
    throw CloudWatchErrors.invalidValue(`The parameter ${parameter} must be a multiple of 60 (Nimbus stores one-minute aggregates).`);
  }
}

/** The value of a statistic for a period; undefined when the period cannot answer it. */
export const statisticOf = (period: PeriodAggregate, name: string): number | undefined => statistic(period.aggregate, name);
