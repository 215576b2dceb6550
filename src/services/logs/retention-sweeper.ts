/**
 * Enforces log group retention: once a minute, events older than their group's retention are
 * deleted, so a long-running server's disk stays bounded by what its groups keep.
 */
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { LogStore } from '../../store/store.js';

export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass; returns how many events went. */
  async sweep(): Promise<number> {
    try {
      const gone = await this.store.expire(this.clock.now());
      if (gone > 0) this.logger.debug('expired log events', { events: gone });
      return gone;
    } catch (err) {
      this.logger.error('log retention sweep failed', { error: String(err) });
      return 0;
    }
  }
}
