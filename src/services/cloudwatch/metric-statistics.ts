/**
 * Stored minutes → CloudWatch datapoints: minutes are merged into periods counted from the start
 * time (rounded down to the minute), one datapoint per period and unit that has data; periods
 * without data are left out, as CloudWatch does. Pure: GetMetricStatistics and GetMetricData
 * both use it, and alarms will.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 */
import { emptyAggregate, mergeAggregate, statistic, type MetricAggregate } from '../../observe/metric-aggregate.js';
import type { MetricPoint } from '../../store/store.js';
import { CloudWatchErrors } from './cloudwatch-errors.js';
import { MINUTE_MS } from './put-metric-data.js';

/** One period of one unit, merged. */
export interface PeriodAggregate {
  /** Start of the period, ms. */
  timestamp: number;
  unit: string;
  aggregate: MetricAggregate;
}

/** The first minute a query covers: CloudWatch rounds the start down to the storage resolution. */
export const alignStart = (startTime: number): number => Math.floor(startTime / MINUTE_MS) * MINUTE_MS;

/** Merges minutes into periods of `periodSeconds` from `startTime`, ordered by time then unit. */
export function periodAggregates(points: MetricPoint[], startTime: number, periodSeconds: number): PeriodAggregate[] {
  const start = alignStart(startTime);
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
