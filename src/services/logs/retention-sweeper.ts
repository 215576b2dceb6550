/**
 * Log group retention: events older than their group's retention are deleted, once a minute
 * (logs-plugin.ts runs it as a once-per-cluster worker), so a long-running server's disk stays
 * bounded by what its groups keep.
 */
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { LogStore } from './store/log-store.js';

/** One pass; returns how many events went (a failure is logged, never thrown). */
export async function sweepRetention(store: LogStore, clock: Clock, logger: Logger): Promise<number> {
  try {
    const gone = await store.expire(clock.now());
    if (gone > 0) logger.debug('expired log events', { events: gone });
    return gone;
  } catch (err) {
    logger.error('log retention sweep failed', { error: String(err) });
    return 0;
  }
}
