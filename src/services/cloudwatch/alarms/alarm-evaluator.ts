/**
 * Evaluates every metric alarm on a timer (each minute by default, as CloudWatch evaluates a
 * standard alarm), on the stored metrics: read the alarm's evaluation range, decide with the
 * pure `evaluateAlarm`, and when the state changes write it with its history in one conditional
 * store write (lost to a concurrent PutMetricAlarm or SetAlarmState, it waits for the next
 * pass). Each pass also expires history older than two weeks, CloudWatch's retention.
 */
import { PeriodicWorker, type Worker } from '../../../kit/worker.js';
import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { AlarmRecord, AlarmStore } from '../store/alarm-store.js';
import type { MetricStore } from '../store/metric-store.js';
import { evaluateAlarm, evaluationRange, rangeDatapoints } from './alarm-evaluation.js';
import { transition } from './alarm-history.js';

/** What the evaluator reads and writes. */
export interface AlarmEvaluatorDeps {
  alarms: AlarmStore;
  metrics: MetricStore;
  clock: Clock;
  logger: Logger;
  /** Metrics recorded but not yet written (Lambda's own): flushed before each pass, as reads do. */
  pending?: { flush(): Promise<void> };
  /** Time between passes; default one minute. */
  intervalMs?: number;
  /** Runs the actions of a saved state change (alarm-actions.ts). */
  actions?: (before: AlarmRecord, after: AlarmRecord) => Promise<void>;
}

const HISTORY_RETENTION_MS = 14 * 24 * 3600_000;
const PAGE = 500;

/** A once-per-cluster worker: one node evaluates each alarm per pass, whatever the cluster's size. */
export class AlarmEvaluator implements Worker {
  readonly name = 'cloudwatch.alarm-evaluator';
  readonly runs = 'once-per-cluster';
  private readonly periodic: PeriodicWorker;

  constructor(private readonly deps: AlarmEvaluatorDeps) {
    this.periodic = new PeriodicWorker({ name: this.name, runs: this.runs, intervalMs: deps.intervalMs ?? 60_000, pass: () => this.pass() });
  }

  start(): void {
    this.periodic.start();
  }

  /** Stops the timer and waits for a pass in progress, so the store can close after it. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass over every alarm (a pass still running is joined, not doubled); returns how many changed state. */
  evaluate(): Promise<number> {
    return this.periodic.runPass() as Promise<number>;
  }

  private async pass(): Promise<number> {
    const { alarms, clock, logger } = this.deps;
    let changed = 0;
    try {
      await this.deps.pending?.flush();
      const now = clock.now();
      for (let after: AlarmRecord | undefined; ; ) {
        const page = await alarms.listAll(after, PAGE);
        for (const alarm of page) if (await this.evaluateOne(alarm, now)) changed++;
        if (page.length < PAGE) break;
        after = page[page.length - 1];
      }
      await alarms.expireHistory(now - HISTORY_RETENTION_MS);
    } catch (err) {
      logger.error('alarm evaluation failed', { error: String(err) });
    }
    return changed;
  }

  private async evaluateOne(alarm: AlarmRecord, now: number): Promise<boolean> {
    const range = evaluationRange(alarm, now);
    const points = await this.deps.metrics.points(alarm, {
      metric: { namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions },
      unit: alarm.unit,
      startTime: range.start,
      endTime: range.end,
    });
    const result = evaluateAlarm(alarm, rangeDatapoints(alarm, range, points), now);
    if (!result || result.state === alarm.stateValue) return false;
    const next = transition(alarm, { value: result.state, reason: result.reason, reasonData: result.reasonData }, now);
    const saved = await this.deps.alarms.save(next.alarm, alarm.revision, next.history);
    if (!saved) return false;
    this.deps.logger.debug('alarm state changed', { alarm: alarm.name, from: alarm.stateValue, to: result.state });
    await this.deps.actions?.(alarm, saved);
    return true;
  }
}
