/**
 * Platform health for Prometheus, read when scraped (no work on any hot path): environments by
 * state, account concurrency, the async queue and what the dispatcher did, dropped log lines.
 * Each source is a plain function so this module imports nothing of what it observes.
 */
import { Gauge, type Registry } from 'prom-client';

export interface PlatformSources {
  environments(): { total: number; leased: number; byState: Record<string, number> };
  concurrency(): { current: number; peak: number; unreservedCurrent: number; unreservedLimit: number; accountLimit: number };
  asyncQueueDepth(): Promise<number>;
  asyncCounters(): { received: number; attempts: number; succeeded: number; retried: number; dropped: number; deliveryFailures: number; deadLetterErrors: number; lastEventAgeMs: number };
  droppedLogLines(): number;
  /** Stem cells (pre-started sandboxes, decision 9); absent when the launcher keeps none. */
  stemCells?(): { unbound: Record<string, number>; bound: number; missed: number } | undefined;
}

/** Registers the platform gauges on `registry`; values are read from `sources` at scrape time. */
export function registerPlatformMetrics(registry: Registry, sources: PlatformSources): void {
  const registers = [registry];
  new Gauge({
    name: 'nimbus_environments',
    help: 'Execution environments by lifecycle state.',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      for (const [state, n] of Object.entries(sources.environments().byState)) this.set({ state }, n);
    },
  });
  const concurrency: [string, string, (c: ReturnType<PlatformSources['concurrency']>) => number][] = [
    ['nimbus_concurrent_executions', 'Invocations running now, account-wide (ConcurrentExecutions).', (c) => c.current],
    ['nimbus_concurrent_executions_peak', 'Highest concurrent executions since start.', (c) => c.peak],
    ['nimbus_unreserved_concurrent_executions', 'Invocations running now of functions without reserved concurrency.', (c) => c.unreservedCurrent],
    ['nimbus_unreserved_concurrency_limit', 'Concurrency left to functions without a reservation.', (c) => c.unreservedLimit],
    ['nimbus_account_concurrency_limit', 'The account concurrency limit.', (c) => c.accountLimit],
  ];
  for (const [name, help, pick] of concurrency) {
    new Gauge({ name, help, registers, collect() { this.set(pick(sources.concurrency())); } });
  }
  new Gauge({
    name: 'nimbus_async_queue_depth',
    help: 'Asynchronous events queued or running.',
    registers,
    async collect() {
      this.set(await sources.asyncQueueDepth());
    },
  });
  const counters: [string, string, keyof ReturnType<PlatformSources['asyncCounters']>][] = [
    ['nimbus_async_events_received_total', 'Asynchronous events accepted (AsyncEventsReceived).', 'received'],
    ['nimbus_async_attempts_total', 'Asynchronous event attempts that ran the function.', 'attempts'],
    ['nimbus_async_events_succeeded_total', 'Asynchronous events that succeeded.', 'succeeded'],
    ['nimbus_async_retries_total', 'Asynchronous events put back for a retry (errors and throttles).', 'retried'],
    ['nimbus_async_events_dropped_total', 'Asynchronous events given up (AsyncEventsDropped).', 'dropped'],
    ['nimbus_destination_delivery_failures_total', 'Records that could not be delivered (DestinationDeliveryFailures).', 'deliveryFailures'],
    ['nimbus_dead_letter_errors_total', 'Dropped events their dead-letter queue or topic could not take (DeadLetterErrors).', 'deadLetterErrors'],
    ['nimbus_async_event_age_milliseconds', 'Age of the most recently started asynchronous event (AsyncEventAge).', 'lastEventAgeMs'],
  ];
  for (const [name, help, key] of counters) {
    new Gauge({ name, help, registers, collect() { this.set(sources.asyncCounters()[key]); } });
  }
  new Gauge({
    name: 'nimbus_function_log_lines_dropped_total',
    help: 'Function log lines dropped because the log buffer was full.',
    registers,
    collect() {
      this.set(sources.droppedLogLines());
    },
  });
  new Gauge({
    name: 'nimbus_stem_cells',
    help: 'Stem cells started and waiting for a function, per runtime.',
    labelNames: ['runtime'],
    registers,
    collect() {
      this.reset();
      for (const [runtime, n] of Object.entries(sources.stemCells?.()?.unbound ?? {})) this.set({ runtime }, n);
    },
  });
  new Gauge({
    name: 'nimbus_stem_cell_cold_starts_total',
    help: 'Cold starts of runtimes with a stem shim, by whether a stem cell was ready (bound) or not (missed).',
    labelNames: ['outcome'],
    registers,
    collect() {
      const counts = sources.stemCells?.();
      this.reset();
      if (!counts) return;
      this.set({ outcome: 'bound' }, counts.bound);
      this.set({ outcome: 'missed' }, counts.missed);
    },
  });
}
