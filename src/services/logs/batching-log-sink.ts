/**
 * Takes log lines from execution environments and writes them to the store in batches, off
 * the invoke path: `append` only buffers; one transaction per flush interval writes them all.
 * The buffer is bounded so a log flood cannot grow the server's memory: past the bound the
 * oldest buffered lines are dropped and counted.
 */
import type { LogEvent, LogSink } from '../../sandbox/types.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Scope } from '../../shared/scope.js';
import type { LogBatch, LogStore } from './store/log-store.js';

export interface BatchingLogSinkOptions {
  flushIntervalMs?: number;
  maxBufferedEvents?: number;
}

export class BatchingLogSink implements LogSink {
  private batches = new Map<string, LogBatch>();
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private warnedSinceFlush = false;
  /** Lines dropped because the buffer was full (reported, never silent). */
  dropped = 0;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedEvents: number;

  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: BatchingLogSinkOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.maxBufferedEvents = options.maxBufferedEvents ?? 100_000;
  }

  append(scope: Scope, logGroupName: string, logStreamName: string, events: LogEvent[]): void {
    if (events.length === 0) return;
    const key = `${scope.accountId}\u0000${scope.region}\u0000${logGroupName}\u0000${logStreamName}`;
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { scope, logGroupName, logStreamName, events: [] };
      this.batches.set(key, batch);
    }
    for (const e of events) batch.events.push({ timestamp: e.timestamp, message: e.message });
    this.buffered += events.length;
    if (this.buffered > this.maxBufferedEvents) this.shed(this.buffered - this.maxBufferedEvents);
    this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
  }

  /** Writes everything buffered so far; resolves when it is in the store. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batches = [...this.batches.values()];
    this.batches = new Map();
    this.buffered = 0;
    this.warnedSinceFlush = false;
    if (batches.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.store.append(batches, this.clock.now()).catch((err: Error) => {
        this.logger.error('writing function logs failed', { error: err.message, batches: batches.length });
      }),
    );
    return this.flushing;
  }

  private shed(count: number): void {
    for (const batch of this.batches.values()) {
      const n = Math.min(count, batch.events.length);
      batch.events.splice(0, n);
      count -= n;
      this.buffered -= n;
      this.dropped += n;
      if (count === 0) break;
    }
    // One warning per flush window: a flood must not turn into a flood of server logs.
    if (!this.warnedSinceFlush) this.logger.warn('function log buffer full; dropping lines', { dropped: this.dropped });
    this.warnedSinceFlush = true;
  }
}
