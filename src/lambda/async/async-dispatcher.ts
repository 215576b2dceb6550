/**
 * Runs queued asynchronous events: claims due events from the durable queue under a lease,
 * runs each through the same path as a synchronous invoke, and applies the retry policy
 * (retry-policy.ts) to the outcome — retry later, or finish and deliver the record to the
 * OnSuccess / OnFailure destination. Nothing is removed from the queue before its outcome is
 * settled, so a crash re-runs what was in flight (at-least-once).
 */
import type { Worker } from '../../kit/worker.js';
import type { AsyncEventRecorder } from '../../observe/async-event-recorder.js';
import type { Clock } from '../../shared/clock.js';
import { scopeOf } from '../../shared/scope.js';
import type { Logger } from '../../shared/logger.js';
import type { AsyncEventRecord, AsyncEventStore, EventInvokeConfigRecord } from '../store/async-event-store.js';
import { destinationRecord, type LastAttempt, type RecordCondition } from './destination-record.js';
import { decide, expired, type AttemptOutcome, type RetrySettings } from './retry-policy.js';

/** What one attempt produced. */
export interface AsyncAttempt {
  outcome: AttemptOutcome;
  /** Set when the function ran. */
  last?: LastAttempt;
}

export interface AsyncDispatcherDeps {
  events: AsyncEventStore;
  clock: Clock;
  logger: Logger;
  /** This node's lease owner id, stable across restarts of the same data directory. */
  nodeId: string;
  /** Settings for the event's function and qualifier, if any were put. */
  configFor(event: AsyncEventRecord): Promise<EventInvokeConfigRecord | undefined>;
  /** Runs one attempt; resolves 'throttled' when no concurrency was free. */
  attempt(event: AsyncEventRecord): Promise<AsyncAttempt>;
  /** Sends a record to a destination ARN (durably, before resolving). */
  deliver(destinationArn: string, record: Record<string, unknown>, source: AsyncEventRecord): Promise<void>;
  /** The dead-letter queue or topic (DeadLetterConfig.TargetArn) of the version the event runs, if it has one. */
  deadLetterTarget(event: AsyncEventRecord): Promise<string | undefined>;
  /** Sends a dropped event to its dead-letter target (durably, before resolving). */
  deliverDeadLetter(targetArn: string, event: AsyncEventRecord, failure: DeadLetterFailure): Promise<void>;
  /** Per-function metrics of the events (AsyncEventAge, AsyncEventsDropped, delivery failures). */
  metrics?: AsyncEventRecorder;
  /** The qualified function ARN records name. */
  functionArn(event: AsyncEventRecord): string;
  /** Defaults for what EventInvokeConfig leaves unset, and the back-off (shorter in tests). */
  retry: RetrySettings;
  /** Events run at once by this node. */
  maxInFlight: number;
  /** How often the queue is looked at when nothing woke the dispatcher. */
  pollIntervalMs: number;
}

/** Why an event went to its dead-letter target: the message attributes Lambda sets there. */
export interface DeadLetterFailure {
  condition: Exclude<RecordCondition, 'Success'>;
  /** The last attempt's function error and response, when the function ran. */
  last?: LastAttempt;
}

/** Counters /metrics reads (AsyncEventsReceived is counted where events are accepted). */
export interface AsyncDispatchStats {
  attempts: number;
  succeeded: number;
  retried: number;
  dropped: number;
  /** Age in ms of the most recently started event (AsyncEventAge). */
  lastEventAgeMs: number;
  deliveryFailures: number;
  deadLetterErrors: number;
}

/** Longer than the 900 s maximum timeout, so a running event is never claimed twice. */
const LEASE_MS = 16 * 60 * 1000;

/** A per-node worker: each node claims due events under leases of its own (LEASE_MS). */
export class AsyncDispatcher implements Worker {
  readonly name = 'lambda.async-dispatcher';
  readonly runs = 'per-node';
  readonly stats: AsyncDispatchStats = { attempts: 0, succeeded: 0, retried: 0, dropped: 0, lastEventAgeMs: 0, deliveryFailures: 0, deadLetterErrors: 0 };
  private inFlight = 0;
  private running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: AsyncDispatcherDeps) {}

  /** Takes back this node's leases from before a crash, then starts polling. */
  async start(): Promise<void> {
    const released = await this.deps.events.releaseOwned(this.deps.nodeId);
    if (released > 0) this.deps.logger.info('async events resumed after restart', { events: released });
    this.stopped = false;
    this.wake();
  }

  /** Looks at the queue now (called after an event is accepted). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.tick();
  }

  /** Resolves once nothing is being claimed or run (for tests and shutdown). */
  async settle(): Promise<void> {
    while (this.ticking || this.running.size > 0) {
      await Promise.allSettled([...this.running]);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Stops claiming and waits for the events in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    try {
      do {
        this.again = false;
        const room = this.deps.maxInFlight - this.inFlight;
        if (room <= 0 || this.stopped) break;
        const claimed = await this.deps.events.claim(this.deps.clock.now(), LEASE_MS, room, this.deps.nodeId);
        for (const event of claimed) this.track(this.run(event));
        if (claimed.length === room) this.again = true;
      } while (this.again && !this.stopped);
    } catch (err) {
      this.deps.logger.error('claiming async events failed', { error: String(err) });
    } finally {
      this.ticking = false;
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.wake(), this.deps.pollIntervalMs);
      this.timer.unref?.();
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight++;
    this.running.add(p);
    void p.finally(() => {
      this.inFlight--;
      this.running.delete(p);
      this.wake();
    });
  }

  private async run(event: AsyncEventRecord): Promise<void> {
    const { clock, events } = this.deps;
    try {
      const config = await this.deps.configFor(event);
      const settings: RetrySettings = {
        ...this.deps.retry,
        ...(config?.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: config.maximumRetryAttempts } : {}),
        ...(config?.maximumEventAgeInSeconds !== undefined ? { maximumEventAgeSeconds: config.maximumEventAgeInSeconds } : {}),
      };
      const progress = { receivedAt: event.receivedAt, attempts: event.attempts, throttles: event.throttles };
      if (expired(progress, clock.now(), settings)) {
        return await this.finish(event, config, 'EventAgeExceeded', undefined);
      }
      const ageMs = clock.now() - event.receivedAt;
      this.stats.lastEventAgeMs = ageMs;
      const attempt = await this.deps.attempt(event);
      if (attempt.outcome !== 'throttled') {
        // AsyncEventAge is taken when the function is invoked; a throttled attempt did not run it.
        this.deps.metrics?.asyncEvent({ kind: 'invoked', scope: scopeOf(event), functionName: event.functionName, qualifier: event.qualifier, ageMs });
        this.stats.attempts++;
        progress.attempts++;
        progress.throttles = 0;
      } else {
        progress.throttles++;
      }
      const decision = decide(attempt.outcome, progress, clock.now(), settings);
      if (decision.kind === 'retry') {
        this.stats.retried++;
        await events.reschedule(event.id, decision.at, progress.attempts, progress.throttles);
        return;
      }
      const condition: RecordCondition = decision.kind === 'done' ? 'Success' : decision.condition;
      await this.finish({ ...event, attempts: progress.attempts }, config, condition, attempt.last);
    } catch (err) {
      // A platform fault: the event stays leased and runs again when the lease lapses.
      this.deps.logger.error('async event failed on the platform side', { requestId: event.id, error: String(err) });
    }
  }

  private async finish(
    event: AsyncEventRecord,
    config: EventInvokeConfigRecord | undefined,
    condition: RecordCondition,
    last: LastAttempt | undefined,
  ): Promise<void> {
    const destination = condition === 'Success' ? config?.onSuccess : config?.onFailure;
    const about = { scope: scopeOf(event), functionName: event.functionName, qualifier: event.qualifier };
    if (condition === 'Success') this.stats.succeeded++;
    else {
      this.stats.dropped++;
      this.deps.metrics?.asyncEvent({ kind: 'dropped', ...about });
      this.deps.logger.warn('async event dropped', { requestId: event.id, function: event.functionName, condition, attempts: event.attempts });
      await this.sendToDeadLetter(event, { condition, ...(last ? { last } : {}) });
    }
    if (destination) {
      const record = destinationRecord({
        requestId: event.id,
        functionArn: this.deps.functionArn(event),
        condition,
        approximateInvokeCount: event.attempts,
        requestPayload: event.payload,
        ...(last ? { lastAttempt: last } : {}),
        now: this.deps.clock.now(),
      });
      try {
        await this.deps.deliver(destination, record, event);
      } catch (err) {
        this.stats.deliveryFailures++;
        this.deps.metrics?.asyncEvent({ kind: 'destination-failure', ...about });
        this.deps.logger.error('destination delivery failed', { requestId: event.id, destination, error: String(err) });
      }
    }
    await this.deps.events.remove(event.id);
  }

  /** A dropped event goes to the function's dead-letter queue or topic too, when it has one. */
  private async sendToDeadLetter(event: AsyncEventRecord, failure: DeadLetterFailure): Promise<void> {
    const target = await this.deps.deadLetterTarget(event);
    if (!target) return;
    try {
      await this.deps.deliverDeadLetter(target, event, failure);
    } catch (err) {
      this.stats.deadLetterErrors++;
      this.deps.metrics?.asyncEvent({ kind: 'dead-letter-error', scope: scopeOf(event), functionName: event.functionName, qualifier: event.qualifier });
      this.deps.logger.error('dead-letter delivery failed', { requestId: event.id, target, error: String(err) });
    }
  }
}
