/**
 * CloudWatch's metrics in the store: per-minute aggregates (observe/metric-point.ts) of the
 * metrics of each scope (account and region). Writers send batches of partial minutes; the store
 * merges them into what it holds, so a minute may be written many times. As data ages,
 * `applyRetention` merges minutes into five-minute and one-hour rows and deletes the oldest, in
 * every scope (CloudWatch's retention; the plan is retention/metric-retention.ts).
 */
import type { MetricIdentity, MetricPoint, MetricSink } from '../../../observe/metric-point.js';
import type { Scope } from '../../../shared/scope.js';

export type { MetricDimension, MetricIdentity, MetricPoint } from '../../../observe/metric-point.js';

/** A dimension filter of ListMetrics: the name must be present; the value too, when given. */
export interface MetricDimensionFilter {
  name: string;
  value?: string;
}

/** ListMetrics' filters and paging, as the store answers them. */
export interface MetricListQuery {
  namespace?: string;
  metricName?: string;
  dimensions?: MetricDimensionFilter[];
  /** Only metrics with data at or after this time (ms). */
  activeSince?: number;
  /** Resume after this cursor (a listed metric's `cursor`). */
  afterCursor?: number;
  limit: number;
}

/**
 * One roll-up: every stored row of `fromPeriod` seconds that starts before `before` is merged
 * (adding, as `put` does) into the row of `toPeriod` seconds that starts at its aligned start
 * (`floor(timestamp / toPeriod) * toPeriod`), keeping namespace, name, dimensions and unit.
 */
export interface MetricRollUp {
  fromPeriod: number;
  toPeriod: number;
  /** Start of the first row left alone, ms. */
  before: number;
}

/** What the store keeps of aging data: roll-ups applied in order, then rows starting before `deleteBefore` deleted. */
export interface MetricRetentionPlan {
  rollUps: MetricRollUp[];
  deleteBefore: number;
}

/** What one `applyRetention` call did. */
export interface MetricRetentionResult {
  /** Rows merged into longer-period rows (each row merged counts once). */
  rolledUp: number;
  deleted: number;
  /** False when the row limit stopped the call before the plan was fully applied: call again. */
  done: boolean;
}

/** Per-minute metric aggregates: written in batches, read by metric or listed. */
export interface MetricStore extends MetricSink {
  /** Merges the points into the scope's stored minutes (adding counts, sums and buckets) in one transaction. */
  put(scope: Scope, points: MetricPoint[]): Promise<void>;
  /**
   * Stored rows of one metric (exact dimension set) with `startTime <= timestamp < endTime`, by time;
   * one unit when given. A rolled-up row reads like a minute at its start.
   */
  points(scope: Scope, query: { metric: MetricIdentity; unit?: string; startTime: number; endTime: number }): Promise<MetricPoint[]>;
  /** The scope's metrics matching the filters in a stable order; `cursor` resumes the listing. */
  list(scope: Scope, query: MetricListQuery): Promise<Array<MetricIdentity & { cursor: number }>>;
  /**
   * Applies `plan`, touching at most `limit` rows, in one transaction: a reader sees every row
   * of a bucket before the roll-up or its merged row after, never both or neither. Rows written
   * later into a rolled-up bucket are merged by the next call; metrics left with no rows go.
   */
  applyRetention(plan: MetricRetentionPlan, limit: number): Promise<MetricRetentionResult>;
}

/** One scope's view of the stored minutes, as a query over them reads them. */
export interface MetricReader {
  points(query: { metric: MetricIdentity; unit?: string; startTime: number; endTime: number }): Promise<MetricPoint[]>;
}

/** The reader of `scope`'s metrics. */
export function readerOf(store: MetricStore, scope: Scope): MetricReader {
  return { points: (query) => store.points(scope, query) };
}
