/**
 * CloudWatch's metric retention as a plan for the store: one-minute data points are kept for 15
 * days, five-minute ones for 63 days, one-hour ones for 455 days (15 months); data is aggregated
 * as it ages, then deleted. A bucket rolls up only once all of it is past its age, so a bucket is
 * whole at every resolution. Queries round their start time down to the resolution kept at that
 * age (`storagePeriodMs`), as CloudWatch does, so a rolled-up bucket is never cut at the start.
 * Pure: `MetricRetentionSweeper` applies the plan each hour.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 */
import type { MetricRetentionPlan } from '../store/metric-store.js';

const DAY_MS = 86_400_000;
const FIVE_MINUTES_MS = 300_000;
const HOUR_MS = 3_600_000;
/** How long data of each period is kept, in days (CloudWatch's figures). */
export const RETENTION_DAYS = { oneMinute: 15, fiveMinutes: 63, oneHour: 455 } as const;

const floorTo = (t: number, step: number): number => Math.floor(t / step) * step;

/**
 * What to do with stored data at `now`: minutes of buckets wholly older than 63 days become
 * hour rows, five-minute rows too; minutes of buckets wholly older than 15 days become
 * five-minute rows; hours wholly older than 455 days are deleted.
 */
export function metricRetentionPlan(now: number): MetricRetentionPlan {
  const hourBefore = floorTo(now - RETENTION_DAYS.fiveMinutes * DAY_MS, HOUR_MS);
  return {
    // Hours first: a minute older than 63 days goes straight into its hour.
    rollUps: [
      { fromPeriod: 60, toPeriod: 3600, before: hourBefore },
      { fromPeriod: 300, toPeriod: 3600, before: hourBefore },
      { fromPeriod: 60, toPeriod: 300, before: floorTo(now - RETENTION_DAYS.oneMinute * DAY_MS, FIVE_MINUTES_MS) },
    ],
    deleteBefore: floorTo(now - RETENTION_DAYS.oneHour * DAY_MS, HOUR_MS),
  };
}

/**
 * The resolution data starting at `startTime` is kept in at `now`, ms: what a query's start
 * time is rounded down to (GetMetricStatistics and GetMetricData, StartTime).
 */
export function storagePeriodMs(startTime: number, now: number): number {
  const age = now - startTime;
  if (age > RETENTION_DAYS.fiveMinutes * DAY_MS) return HOUR_MS;
  if (age > RETENTION_DAYS.oneMinute * DAY_MS) return FIVE_MINUTES_MS;
  return 60_000;
}
