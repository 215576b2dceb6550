/**
 * A CloudWatch metric and one minute of it, as observers write them (Lambda's own AWS/Lambda
 * metrics) and CloudWatch's store keeps them: a metric is its namespace, name and exact set of
 * dimensions (AWS treats each distinct set as its own metric); a point holds count, sum, min,
 * max and a bucket histogram (metric-aggregate.ts) for one minute and unit.
 */
import type { Scope } from '../shared/scope.js';

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

/** Where points go: merged into what is stored for the scope, in one transaction. */
export interface MetricSink {
  put(scope: Scope, points: MetricPoint[]): Promise<void>;
}
