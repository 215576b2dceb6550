/**
 * CloudWatch (metrics and alarms) as a plugin record: its API, the alarm evaluator and the
 * metric retention sweeper (each once per cluster), and the metric store other services
 * publish into.
 */
import { integerOption } from '../../kit/options.js';
import type { ServicePlugin } from '../../kit/plugin.js';
import type { CloudWatchExports, PendingMetrics } from './api.js';
import type { AlarmRecord } from './store/alarm-store.js';
import { CLOUDWATCH_SLICE, type CloudWatchStore } from './store/cloudwatch-slice.js';
import { runAlarmActions } from './alarms/alarm-actions.js';
import { AlarmEvaluator } from './alarms/alarm-evaluator.js';
import { cloudWatchService } from './cloudwatch-service.js';
import { MetricRetentionSweeper } from './retention/metric-retention-sweeper.js';

export interface CloudWatchOptions {
  alarmEvaluationMs: number;
}

export const cloudWatchPlugin: ServicePlugin<CloudWatchOptions, CloudWatchStore> = {
  name: 'cloudwatch',
  store: CLOUDWATCH_SLICE,
  options: {
    alarmEvaluationMs: integerOption({
      env: 'NIMBUS_ALARM_EVALUATION_MS',
      description: 'how often CloudWatch alarms are evaluated, in ms (default 60000, as CloudWatch)',
      default: 60_000,
      min: 10,
    }),
  },
  create(platform, options, store) {
    const { clock, logger } = platform;
    const sources: PendingMetrics[] = [];
    const pending: PendingMetrics = { flush: async () => void (await Promise.all(sources.map((s) => s.flush()))) };
    const exports: CloudWatchExports = { metrics: store.metrics, addPendingSource: (source) => void sources.push(source) };
    const actions = (before: AlarmRecord, after: AlarmRecord) =>
      runAlarmActions({ alarms: store.alarms, calls: platform.calls, logger }, before, after);
    return {
      apis: [cloudWatchService({ store: store.metrics, clock, pending, alarms: store.alarms, alarmActions: actions })],
      workers: [
        new AlarmEvaluator({ alarms: store.alarms, metrics: store.metrics, clock, logger, pending, intervalMs: options.alarmEvaluationMs, actions }),
        // CloudWatch's metric retention: minutes → five minutes → hours → gone (retention/metric-retention.ts).
        new MetricRetentionSweeper({ store: store.metrics, clock, logger }),
      ],
      exports,
    };
  },
};
