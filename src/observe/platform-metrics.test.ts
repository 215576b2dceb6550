import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerPlatformMetrics } from './platform-metrics.js';

describe('registerPlatformMetrics', () => {
  it('reads every source at scrape time', async () => {
    const registry = new Registry();
    let depth = 3;
    registerPlatformMetrics(registry, {
      environments: () => ({ total: 2, leased: 1, byState: { Idle: 1, Busy: 1 } }),
      concurrency: () => ({ current: 1, peak: 4, unreservedCurrent: 1, unreservedLimit: 900, accountLimit: 1000 }),
      asyncQueueDepth: async () => depth,
      asyncCounters: () => ({ received: 10, attempts: 9, succeeded: 8, retried: 1, dropped: 1, deliveryFailures: 0, deadLetterErrors: 2, lastEventAgeMs: 12 }),
      droppedLogLines: () => 0,
    });
    let text = await registry.metrics();
    expect(text).toContain('nimbus_environments{state="Busy"} 1');
    expect(text).toContain('nimbus_concurrent_executions_peak 4');
    expect(text).toContain('nimbus_async_queue_depth 3');
    expect(text).toContain('nimbus_async_events_dropped_total 1');
    expect(text).toContain('nimbus_dead_letter_errors_total 2');
    depth = 0;
    text = await registry.metrics();
    expect(text).toContain('nimbus_async_queue_depth 0');
  });
});
