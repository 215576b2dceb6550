/**
 * What CloudWatch lends the services after it in the table: the metric store other services
 * publish their own metrics into (AWS/Lambda, written in batches off their hot paths), and a
 * way to have their buffered metrics flushed before CloudWatch reads, so a read sees them.
 */
import { serviceRef } from '../../kit/plugin.js';
import type { MetricSink } from '../../observe/metric-point.js';

/** Metrics a service holds in memory before writing them. */
export interface PendingMetrics {
  flush(): Promise<void>;
}

export interface CloudWatchExports {
  /** Where another service writes its own metrics (merged into the scope's minutes). */
  metrics: MetricSink;
  /** Flushed before every metric read and alarm evaluation. */
  addPendingSource(source: PendingMetrics): void;
}

export const CLOUDWATCH = serviceRef<CloudWatchExports>('cloudwatch');
