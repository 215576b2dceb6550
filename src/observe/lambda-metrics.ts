/**
 * Lambda's own CloudWatch metrics (namespace `AWS/Lambda`), aggregated in memory per minute and
 * written to the metric store in one batch per flush (each minute, before CloudWatch reads, and
 * on shutdown) — never on the invoke path. Names, units and dimensions are AWS's:
 *   Invocations, Errors, Throttles (Count), Duration (Milliseconds) per dimension set: none
 *   (account-wide), {FunctionName}, {FunctionName, Resource} when the caller named a qualifier,
 *   and {FunctionName, Resource, ExecutedVersion} when it was an alias; ConcurrentExecutions
 *   (Count) in the first three;
 *   ProvisionedConcurrencyInvocations and ProvisionedConcurrencySpilloverInvocations (Count) in
 *   the same sets, when they happen;
 *   AsyncEventsReceived, AsyncEventsDropped, DeadLetterErrors, DestinationDeliveryFailures
 *   (Count) and AsyncEventAge (Milliseconds, at each run) in none, {FunctionName} and
 *   {FunctionName, Resource} for a qualified event;
 *   UnreservedConcurrentExecutions and ClaimedAccountConcurrency (Count) account-wide only;
 *   ProvisionedConcurrentExecutions (Count) and ProvisionedConcurrencyUtilization (None, in-use
 *   over allocated) per {FunctionName, Resource} of each provisioned concurrency configuration.
 * Errors and Throttles are also written as 0 for invocations that did not fail, so Average is a
 * rate, as in CloudWatch. The concurrency gauges are sampled: each flush writes the highest number
 * running since the previous one, so their Maximum is exact and their Average approximate.
 * ClaimedAccountConcurrency is that unreserved peak plus the allocated concurrency at the flush
 * (`allocatedConcurrency`), written whenever either is above zero.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html
 */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { scopeKey, type Scope } from '../shared/scope.js';
import type { MetricDimension, MetricPoint, MetricSink } from './metric-point.js';
import type { AsyncEventKind, AsyncEventRecorder, AsyncEventSample } from './async-event-recorder.js';
import type { InvocationRecorder, InvocationSample, RunningOptions } from './invocation-recorder.js';
import { addValue, emptyAggregate, type MetricAggregate } from './metric-aggregate.js';

/** The namespace AWS publishes Lambda's metrics under. */
export const LAMBDA_NAMESPACE = 'AWS/Lambda';
const MINUTE_MS = 60_000;

interface Pending {
  metricName: string;
  dimensions: MetricDimension[];
  unit: string;
  timestamp: number;
  aggregate: MetricAggregate;
}

/** Where Lambda's metrics go, and the clock that puts them in minutes. */
export interface LambdaMetricsOptions {
  store: MetricSink;
  /** Where samples that name no scope count: the server's own account and region. */
  scope?: Scope;
  clock: Clock;
  logger: Logger;
  /** How often buffered minutes are written; default one minute. */
  flushIntervalMs?: number;
  /** The provisioned concurrency configurations now, read at each flush (the pool keeps their in-use peaks). */
  provisioned?: () => Iterable<ProvisionedUsage>;
  /** Each scope's reserved concurrency by function name now, read at each flush (for ClaimedAccountConcurrency). */
  reserved?: () => Iterable<{ scope?: Scope; reserved: ReadonlyMap<string, number> }>;
}

/** One provisioned concurrency configuration as a flush sees it. */
export interface ProvisionedUsage {
  /** Absent: the server's own account and region. */
  scope?: Scope;
  functionName: string;
  /** The published version or alias it is configured on. */
  qualifier: string;
  /** ProvisionedConcurrentExecutions asked for: what the configuration claims of the account. */
  requested: number;
  /** Environments initialized and alive. */
  allocated: number;
  /** Highest number of its environments running an invocation at once since the previous read. */
  peakInUse: number;
}

const ASYNC_METRICS: Record<AsyncEventKind, { name: string; unit: string }> = {
  received: { name: 'AsyncEventsReceived', unit: 'Count' },
  invoked: { name: 'AsyncEventAge', unit: 'Milliseconds' },
  dropped: { name: 'AsyncEventsDropped', unit: 'Count' },
  'dead-letter-error': { name: 'DeadLetterErrors', unit: 'Count' },
  'destination-failure': { name: 'DestinationDeliveryFailures', unit: 'Count' },
};

/** The in-memory recorder of every scope; `start()` its timer, `stop()` to write what remains. */
export class LambdaMetrics implements InvocationRecorder, AsyncEventRecorder {
  private readonly scopes = new Map<string, { scope: Scope; metrics: ScopeMetrics }>();
  private readonly home: Scope;
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LambdaMetricsOptions) {
    this.home = options.scope ?? { accountId: '000000000000', region: 'us-east-1' };
  }

  record(sample: InvocationSample): void {
    this.of(sample.scope).record(sample);
  }

  running(functionName: string, options?: RunningOptions): () => void {
    return this.of(options?.scope).running(functionName, options);
  }

  asyncEvent(sample: AsyncEventSample): void {
    this.of(sample.scope).asyncEvent(sample);
  }

  /** Writes everything buffered (and the concurrency peaks) to the store, scope by scope; resolves when stored. */
  flush(): Promise<void> {
    const provisioned = new Map<string, ProvisionedUsage[]>();
    for (const p of this.options.provisioned?.() ?? []) {
      const key = scopeKey(p.scope ?? this.home);
      this.of(p.scope);
      provisioned.set(key, [...(provisioned.get(key) ?? []), p]);
    }
    const reserved = new Map<string, ReadonlyMap<string, number>>();
    for (const r of this.options.reserved?.() ?? []) {
      if (r.reserved.size === 0) continue;
      this.of(r.scope);
      reserved.set(scopeKey(r.scope ?? this.home), r.reserved);
    }
    const batches: Array<{ scope: Scope; points: MetricPoint[] }> = [];
    for (const [key, { scope, metrics }] of this.scopes) {
      const points = metrics.take(provisioned.get(key) ?? [], reserved.get(key) ?? new Map());
      if (points.length > 0) batches.push({ scope, points });
      if (metrics.idle() && !provisioned.has(key) && !reserved.has(key)) this.scopes.delete(key);
    }
    if (batches.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      for (const { scope, points } of batches) {
        await this.options.store.put(scope, points).catch((err: Error) => {
          this.options.logger.error('writing Lambda metrics failed', { error: err.message, points: points.length });
        });
      }
    });
    return this.flushing;
  }

  /** Starts flushing every interval (the timer does not keep the process alive). */
  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs ?? MINUTE_MS);
    this.timer.unref();
  }

  /** Stops the timer and writes what remains. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private of(scope: Scope | undefined): ScopeMetrics {
    const s = scope ?? this.home;
    const key = scopeKey(s);
    let entry = this.scopes.get(key);
    if (!entry) this.scopes.set(key, (entry = { scope: s, metrics: new ScopeMetrics(() => Math.floor(this.options.clock.now() / MINUTE_MS) * MINUTE_MS) }));
    return entry.metrics;
  }
}

/** One scope's metrics between flushes (an account and region has its own account-wide figures). */
class ScopeMetrics {
  private pending = new Map<string, Pending>();
  /** Running now, by key: '' account-wide, `name` per function, `name:qualifier` per Resource. */
  private readonly runningByKey = new Map<string, number>();
  /** Highest concurrency since the last flush, by the same keys. */
  private peaks = new Map<string, number>();
  private runningUnreserved = 0;
  /** Highest unreserved concurrency since the last flush; undefined when none ran. */
  private unreservedPeak: number | undefined;

  constructor(private readonly minute: () => number) {}

  record(sample: InvocationSample): void {
    const timestamp = this.minute();
    for (const dimensions of dimensionSets(sample)) {
      if (sample.throttled) {
        this.add('Throttles', dimensions, 'Count', timestamp, 1);
        continue;
      }
      this.add('Invocations', dimensions, 'Count', timestamp, 1);
      this.add('Errors', dimensions, 'Count', timestamp, sample.error ? 1 : 0);
      this.add('Throttles', dimensions, 'Count', timestamp, 0);
      if (sample.durationMs !== undefined) this.add('Duration', dimensions, 'Milliseconds', timestamp, sample.durationMs);
      if (sample.provisioned) this.add('ProvisionedConcurrencyInvocations', dimensions, 'Count', timestamp, 1);
      if (sample.spillover) this.add('ProvisionedConcurrencySpilloverInvocations', dimensions, 'Count', timestamp, 1);
    }
  }

  running(functionName: string, options?: RunningOptions): () => void {
    const qualifier = options?.qualifier;
    const keys = qualifier && qualifier !== '$LATEST' ? ['', functionName, `${functionName}:${qualifier}`] : ['', functionName];
    for (const key of keys) {
      const now = (this.runningByKey.get(key) ?? 0) + 1;
      this.runningByKey.set(key, now);
      if (now > (this.peaks.get(key) ?? 0)) this.peaks.set(key, now);
    }
    const unreserved = options?.unreserved === true;
    if (unreserved) {
      this.runningUnreserved++;
      if (this.runningUnreserved > (this.unreservedPeak ?? 0)) this.unreservedPeak = this.runningUnreserved;
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const key of keys) {
        const left = (this.runningByKey.get(key) ?? 1) - 1;
        if (left === 0) this.runningByKey.delete(key);
        else this.runningByKey.set(key, left);
      }
      if (unreserved) this.runningUnreserved--;
    };
  }

  asyncEvent(sample: AsyncEventSample): void {
    const metric = ASYNC_METRICS[sample.kind];
    const value = sample.kind === 'invoked' ? (sample.ageMs ?? 0) : 1;
    const timestamp = this.minute();
    const fn = { name: 'FunctionName', value: sample.functionName };
    this.add(metric.name, [], metric.unit, timestamp, value);
    this.add(metric.name, [fn], metric.unit, timestamp, value);
    if (sample.qualifier && sample.qualifier !== '$LATEST') {
      this.add(metric.name, [fn, { name: 'Resource', value: `${sample.functionName}:${sample.qualifier}` }], metric.unit, timestamp, value);
    }
  }

  /** Takes everything buffered (and the concurrency peaks, provisioned use and allocations given) as points. */
  take(provisioned: ProvisionedUsage[], reserved: ReadonlyMap<string, number>): MetricPoint[] {
    const timestamp = this.minute();
    for (const [key, peak] of this.peaks) this.add('ConcurrentExecutions', concurrencyDimensions(key), 'Count', timestamp, peak);
    // What is still running carries over as the next window's starting peak.
    this.peaks = new Map(this.runningByKey);
    const allocated = allocatedConcurrency(reserved, provisioned);
    if (this.unreservedPeak !== undefined) this.add('UnreservedConcurrentExecutions', [], 'Count', timestamp, this.unreservedPeak);
    if (this.unreservedPeak !== undefined || allocated > 0) {
      this.add('ClaimedAccountConcurrency', [], 'Count', timestamp, (this.unreservedPeak ?? 0) + allocated);
    }
    this.unreservedPeak = this.runningUnreserved > 0 ? this.runningUnreserved : undefined;
    for (const p of provisioned) {
      const dimensions = [
        { name: 'FunctionName', value: p.functionName },
        { name: 'Resource', value: `${p.functionName}:${p.qualifier}` },
      ];
      this.add('ProvisionedConcurrentExecutions', dimensions, 'Count', timestamp, p.peakInUse);
      // Nothing allocated yet (still initializing, or failed): no ratio to report.
      if (p.allocated > 0) this.add('ProvisionedConcurrencyUtilization', dimensions, 'None', timestamp, Math.min(1, p.peakInUse / p.allocated));
    }
    const points: MetricPoint[] = [...this.pending.values()].map((p) => ({
      namespace: LAMBDA_NAMESPACE,
      metricName: p.metricName,
      dimensions: p.dimensions,
      unit: p.unit,
      timestamp: p.timestamp,
      ...p.aggregate,
    }));
    this.pending = new Map();
    return points;
  }

  /** Nothing buffered and nothing running: the scope can be forgotten until it is used again. */
  idle(): boolean {
    return this.pending.size === 0 && this.runningByKey.size === 0 && this.peaks.size === 0 && this.runningUnreserved === 0;
  }

  private add(metricName: string, dimensions: MetricDimension[], unit: string, timestamp: number, value: number): void {
    let key = `${metricName}|${timestamp}`;
    for (const d of dimensions) key += `|${d.name}=${d.value}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { metricName, dimensions, unit, timestamp, aggregate: emptyAggregate() };
      this.pending.set(key, p);
    }
    addValue(p.aggregate, value);
  }
}

/**
 * Concurrency allocated account-wide, as ClaimedAccountConcurrency counts it: the reserved
 * concurrency of every function, plus the provisioned concurrency of functions without a
 * reservation (a function's provisioned concurrency fits within its reservation, so that
 * function counts its reservation only).
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html#claimed-account-concurrency
 */
export function allocatedConcurrency(reserved: ReadonlyMap<string, number>, provisioned: Iterable<Pick<ProvisionedUsage, 'functionName' | 'requested'>>): number {
  let total = 0;
  for (const n of reserved.values()) total += n;
  for (const p of provisioned) if (!reserved.has(p.functionName)) total += p.requested;
  return total;
}

/** The dimension sets one invocation counts under, sorted by dimension name as the store keeps them. */
function dimensionSets(s: InvocationSample): MetricDimension[][] {
  const fn = { name: 'FunctionName', value: s.functionName };
  const sets: MetricDimension[][] = [[], [fn]];
  if (s.qualifier) {
    const resource = { name: 'Resource', value: `${s.functionName}:${s.qualifier}` };
    sets.push([fn, resource]);
    const isAlias = !/^(\d+|\$LATEST)$/.test(s.qualifier);
    if (isAlias && s.executedVersion) sets.push([{ name: 'ExecutedVersion', value: s.executedVersion }, fn, resource]);
  }
  return sets;
}

/** The dimensions of a concurrency key: '' account-wide, `name`, or `name:qualifier` (function names have no ':'). */
function concurrencyDimensions(key: string): MetricDimension[] {
  if (key === '') return [];
  const colon = key.indexOf(':');
  if (colon < 0) return [{ name: 'FunctionName', value: key }];
  return [
    { name: 'FunctionName', value: key.slice(0, colon) },
    { name: 'Resource', value: key },
  ];
}
