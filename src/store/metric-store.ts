/**
 * The metrics part of the Store: CloudWatch metrics as per-minute aggregates. A metric is its
 * namespace, name and exact set of dimensions (AWS treats each distinct set as its own metric);
 * each stored minute holds count, sum, min, max and a bucket histogram (see
 * observe/metric-aggregate.ts) per unit. Writers send batches of partial minutes; the store merges
 * them into what it holds, so a minute may be written many times.
 */

/** One dimension of a metric. */
export interface MetricDimension {
  name: string;
  value: string;
}

/** A metric: namespace, name and dimensions (sorted by name; the set is part of the identity). */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: MetricDimension[];
}

/** One minute of one metric in one unit. */
export interface MetricPoint extends MetricIdentity {
  unit: string;
  /** Start of the minute, milliseconds since the epoch (a multiple of 60 000). */
  timestamp: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Bucket key → count; merged by adding counts. */
  histogram: Record<string, number>;
}

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

/** Per-minute metric aggregates: written in batches, read by metric or listed. */
export interface MetricStore {
  /** Merges the points into the stored minutes (adding counts, sums and buckets) in one transaction. */
  put(points: MetricPoint[]): Promise<void>;
  /** Stored minutes of one metric (exact dimension set) with `startTime <= timestamp < endTime`, by time; one unit when given. */
  points(query: { metric: MetricIdentity; unit?: string; startTime: number; endTime: number }): Promise<MetricPoint[]>;
  /** Metrics matching the filters in a stable order; `cursor` resumes the listing. */
  list(query: MetricListQuery): Promise<Array<MetricIdentity & { cursor: number }>>;
}
