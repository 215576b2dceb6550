/**
 * What CloudWatch Logs lends the services after it in the table: the sink execution
 * environments write function output to (batched off the invoke path), and its drop count.
 */
import { serviceRef } from '../../kit/plugin.js';
import type { LogSink } from '../../sandbox/types.js';

export interface LogsExports {
  /** Where function output goes; `flush` writes out what is buffered. */
  logSink: LogSink & { flush(): Promise<void>; readonly dropped: number };
}

export const LOGS = serviceRef<LogsExports>('logs');
