/**
 * CloudWatch Logs as a plugin record: its API, its store slice, the batching sink other services
 * write function output through, and the retention sweep (once per cluster).
 */
import type { ServicePlugin } from '../../kit/plugin.js';
import { PeriodicWorker } from '../../kit/worker.js';
import type { LogsExports } from './api.js';
import { BatchingLogSink } from './batching-log-sink.js';
import { logsService } from './logs-service.js';
import { sweepRetention } from './retention-sweeper.js';
import type { LogsStore } from './store/log-store.js';
import { LOGS_SLICE } from './store/logs-slice.js';

export const logsPlugin: ServicePlugin<Record<string, never>, LogsStore> = {
  name: 'logs',
  options: {},
  store: LOGS_SLICE,
  create(platform, _options, store) {
    const { clock, logger } = platform;
    const logSink = new BatchingLogSink(store.logs, clock, logger);
    const exports: LogsExports = { logSink };
    return {
      apis: [logsService({ store: store.logs, clock, logSink })],
      workers: [
        new PeriodicWorker({
          name: 'logs.retention',
          runs: 'once-per-cluster',
          intervalMs: 60_000,
          pass: () => sweepRetention(store.logs, clock, logger),
        }),
      ],
      exports,
      close: () => logSink.flush(),
    };
  },
};
