/**
 * The warm pool: keeps execution environments per FunctionSpec key and leases one to each
 * invocation. Choice, eviction and expiry are the pure functions of `pool-policy.ts`; this class
 * only holds the books and applies them. An environment is leased for exactly one invocation
 * and comes back (or is stopped) on every exit path.
 */
import { findRuntime, type HostInterpreters } from '../../runtimes/catalogue.js';
import type { Clock } from '../../shared/clock.js';
import { SandboxFault } from '../sandbox-fault.js';
import type { Logger } from '../../shared/logger.js';
import { ENVIRONMENT_STATES, isGone, isReusable, type EnvironmentState } from '../environment/environment-state.js';
import { Environment } from '../environment/environment.js';
import type { Launcher } from '../launcher.js';
import { DEFAULT_INIT_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_MS } from '../limits.js';
import { expired, nextExpiry, pickWarm, planStart, type PoolSlot } from './pool-policy.js';
import { HttpRuntimeApiTransport } from '../runtime-api/http-transport.js';
import type { RuntimeApiTransport } from '../runtime-api/types.js';
import { DEFAULT_SCALE_UP_RATE, takeScaleUp, type ScaleUpBucket, type ScaleUpRate } from './scale-up-policy.js';
import { systemTimers, type TimerHandle, type Timers } from '../timers.js';
import type { FunctionSpec, InvokeRequest, InvokeResult, LogSink, ProvisionedSet } from '../types.js';

/** What the pool is built from; read once at the composition root. */
export interface EnvironmentPoolOptions {
  launcher: Launcher;
  host: HostInterpreters;
  logSink: LogSink;
  clock: Clock;
  logger: Logger;
  /** How long an idle environment is kept after its last invocation (default 10 min). */
  keepAliveMs?: number;
  /** Init phase limit (default 10 s, as Lambda). */
  initTimeoutMs?: number;
  /** Most environments alive at once on this node (default: no limit). */
  maxEnvironments?: number;
  /** How runtimes reach their Runtime API (default: one HTTP server per environment). */
  transport?: RuntimeApiTransport;
  timers?: Timers;
  /** Told of every environment state change (metrics, tests). */
  onEnvironmentChange?: (change: EnvironmentChange) => void;
  /** How fast one function may add on-demand environments (default: Lambda's 1,000 per 10 s). */
  scaleUpRate?: ScaleUpRate;
}

/** One environment changed state. */
export interface EnvironmentChange {
  environmentId: string;
  functionKey: string;
  from: EnvironmentState;
  to: EnvironmentState;
}

/** Counts for metrics. */
export interface PoolStats {
  total: number;
  leased: number;
  byState: Record<EnvironmentState, number>;
}

/** The pool's record of one environment. */
class Member implements PoolSlot {
  leased = false;
  retiring = false;
  /** Provisioned concurrency: kept initialized, never reclaimed for idleness, leased first. */
  group: ProvisionedGroup | undefined;
  get pinned(): boolean {
    return this.group !== undefined;
  }
  /** Init finished once (the runtime reached its first /next). */
  initialized = false;
  releasedAt = 0;
  constructor(readonly env: Environment) {}
  get key(): string {
    return this.env.spec.key;
  }
  get state(): EnvironmentState {
    return this.env.state;
  }
}

/** An invocation bounced off dying environments this many times is a platform fault. */
const MAX_ATTEMPTS = 3;

/** Execution environments of this node, warm-reused per function configuration. */
export class EnvironmentPool {
  private readonly members = new Map<Environment, Member>();
  /** Per key, environments not leased, most recently used last. Empty lists are swept by reclaim. */
  private readonly free = new Map<string, Member[]>();
  private readonly keepAliveMs: number;
  private readonly initTimeoutMs: number;
  private readonly maxEnvironments: number;
  private readonly transport: RuntimeApiTransport;
  private readonly timers: Timers;
  private reclaimTimer: TimerHandle | undefined;
  private draining = false;
  private drained: Promise<void> | undefined;
  private resolveDrained: (() => void) | undefined;

  constructor(private readonly o: EnvironmentPoolOptions) {
    this.keepAliveMs = o.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.initTimeoutMs = o.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
    this.maxEnvironments = o.maxEnvironments ?? Number.POSITIVE_INFINITY;
    this.transport = o.transport ?? new HttpRuntimeApiTransport();
    this.timers = o.timers ?? systemTimers;
  }

  /**
   * Runs one invocation on a warm environment of the same spec key, or on a new one. Function
   * failures are results; throws only platform faults (SandboxFault, or the launcher's own errors).
   */
  async invoke(spec: FunctionSpec, request: InvokeRequest): Promise<InvokeResult> {
    for (let attempt = 1; ; attempt++) {
      const member = this.lease(spec);
      const provisioned = member.pinned;
      let result: InvokeResult | undefined;
      try {
        result = await member.env.invoke(request);
      } finally {
        this.release(member);
      }
      if (result) {
        if (provisioned) result.provisioned = true;
        return result;
      }
      // The environment died before its runtime took the event: run it on a fresh one.
      if (attempt >= MAX_ATTEMPTS) {
        throw new SandboxFault('no-environment', 'No execution environment could take the invocation.');
      }
    }
  }

  /**
   * Retires environments whose spec matches (the function was updated or deleted): free ones
   * stop now, leased ones when their invocation ends. Resolves when the free ones are gone.
   */
  retire(predicate: (spec: FunctionSpec) => boolean): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const m of this.members.values()) {
      if (m.retiring || isGone(m.state) || !predicate(m.env.spec)) continue;
      m.retiring = true;
      if (!m.leased) stopping.push(this.stop(m));
    }
    return Promise.all(stopping).then(() => undefined);
  }

  /** Refuses new invocations, lets the running ones finish, then stops every environment. */
  drain(): Promise<void> {
    this.draining = true;
    if (this.reclaimTimer !== undefined) this.timers.clearTimeout(this.reclaimTimer);
    this.reclaimTimer = undefined;
    for (const m of this.members.values()) if (!m.leased) void this.stop(m);
    if (this.members.size === 0) return Promise.resolve();
    this.drained ??= new Promise((resolve) => (this.resolveDrained = resolve));
    return this.drained;
  }

  /** Environment counts by state. */
  stats(): PoolStats {
    const byState = Object.fromEntries(ENVIRONMENT_STATES.map((s) => [s, 0])) as Record<EnvironmentState, number>;
    let leased = 0;
    for (const m of this.members.values()) {
      byState[m.state]++;
      if (m.leased) leased++;
    }
    return { total: this.members.size, leased, byState };
  }

  // --- leases ----------------------------------------------------------------------------

  private lease(spec: FunctionSpec): Member {
    if (this.draining) {
      throw new SandboxFault('draining', 'The server is shutting down.');
    }
    const list = this.free.get(spec.key);
    // Provisioned environments first, as Lambda does; then any warm one.
    const warm = list && (pickProvisioned(list) ?? pickWarm(list));
    if (warm) {
      removeFrom(list, warm);
      warm.leased = true;
      warm.group?.enter();
      return warm;
    }
    this.takeScaleUp(spec.functionName);
    return this.startFor(spec);
  }

  private readonly scaleUp = new Map<string, ScaleUpBucket>();

  /** A function adding environments faster than its scaling rate is throttled, as on Lambda. */
  private takeScaleUp(functionName: string): void {
    const taken = takeScaleUp(this.scaleUp.get(functionName), this.o.clock.monotonic(), this.o.scaleUpRate ?? DEFAULT_SCALE_UP_RATE);
    this.scaleUp.set(functionName, taken.bucket);
    if (!taken.ok) {
      throw new SandboxFault('scale-up-rate', `${functionName} is adding environments faster than its scaling rate.`);
    }
  }

  private release(m: Member): void {
    m.leased = false;
    // A group released while this ran is no longer read; its count needs no correction.
    m.group?.leave();
    if (!isReusable(m.state)) return; // gone already; forgotten once terminated
    if (m.retiring || this.draining) {
      void this.stop(m);
      return;
    }
    m.releasedAt = this.o.clock.monotonic();
    let list = this.free.get(m.key);
    if (!list) this.free.set(m.key, (list = []));
    list.push(m);
    this.armReclaim();
  }

  private startFor(spec: FunctionSpec): Member {
    const runtime = findRuntime(spec.runtime);
    if (!runtime) {
      throw new SandboxFault('unsupported-runtime', `The runtime ${spec.runtime} is not supported.`);
    }
    const plan = planStart(this.members.values(), this.maxEnvironments);
    if (!plan) {
      throw new SandboxFault('capacity', 'Every execution environment this node may hold is busy.');
    }
    for (const m of plan.evict) void this.stop(m);
    const env = new Environment(spec, runtime, {
      launcher: this.o.launcher,
      transport: this.transport,
      host: this.o.host,
      logSink: this.o.logSink,
      clock: this.o.clock,
      timers: this.timers,
      logger: this.o.logger,
      initTimeoutMs: this.initTimeoutMs,
      onStateChange: (e, from, to) => this.onStateChange(e, from, to),
    });
    const m = new Member(env);
    m.leased = true;
    this.members.set(env, m);
    void env.terminated.then(() => this.forget(m));
    env.start();
    return m;
  }

  private onStateChange(env: Environment, from: EnvironmentState, to: EnvironmentState): void {
    if (to === 'Idle') {
      const m = this.members.get(env);
      if (m && !m.initialized) {
        m.initialized = true;
        m.group?.initializedOne();
      }
    }
    if (isGone(to)) {
      const m = this.members.get(env);
      if (m) this.unlistFree(m);
    }
    this.o.onEnvironmentChange?.({ environmentId: env.id, functionKey: env.spec.key, from, to });
  }

  private stop(m: Member): Promise<void> {
    this.unlistFree(m);
    return m.env.stop();
  }

  private forget(m: Member): void {
    this.members.delete(m.env);
    this.unlistFree(m);
    if (this.draining && this.members.size === 0) this.resolveDrained?.();
  }

  private unlistFree(m: Member): void {
    const list = this.free.get(m.key);
    if (list) removeFrom(list, m);
  }

  // --- keep-alive ------------------------------------------------------------------------

  /** One timer for the whole pool, set for the earliest expiry; nothing per invocation. */
  private armReclaim(): void {
    if (this.reclaimTimer !== undefined || this.draining) return;
    const at = nextExpiry(this.freeMembers(), this.keepAliveMs);
    if (at === undefined) return;
    const delay = Math.max(0, at - this.o.clock.monotonic());
    this.reclaimTimer = this.timers.setTimeout(() => this.reclaim(), delay);
  }

  private reclaim(): void {
    this.reclaimTimer = undefined;
    for (const m of expired(this.freeMembers(), this.o.clock.monotonic(), this.keepAliveMs)) void this.stop(m);
    for (const [key, list] of this.free) if (list.length === 0) this.free.delete(key);
    this.armReclaim();
  }

  private *freeMembers(): Iterable<Member> {
    for (const list of this.free.values()) for (const m of list) if (!m.pinned) yield m;
  }

  // --- provisioned concurrency -----------------------------------------------------------


  /**
   * Keeps `count` environments of `spec` initialized ahead of invokes (provisioned
   * concurrency): started now with AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency,
   * replaced when one dies, leased before on-demand ones, never reclaimed for idleness.
   */
  provision(spec: FunctionSpec, count: number): ProvisionedSet {
    const group = new ProvisionedGroup({ ...spec, initializationType: 'provisioned-concurrency' }, count);
    for (let i = 0; i < count; i++) this.startProvisioned(group);
    return {
      requested: count,
      status: () => group.status(),
      available: () => [...group.members].filter((m) => !m.leased && m.state === 'Idle').length,
      allocated: () => [...group.members].filter((m) => m.initialized && !isGone(m.state)).length,
      takePeakInUse: () => group.takePeakInUse(),
      release: () => {
        group.active = false;
        // They become ordinary warm environments, reclaimed when idle.
        for (const m of group.members) {
          m.group = undefined;
          if (!m.leased) m.releasedAt = this.o.clock.monotonic();
        }
        this.armReclaim();
      },
    };
  }

  private startProvisioned(group: ProvisionedGroup): void {
    if (this.draining || !group.active) return;
    let m: Member;
    try {
      m = this.startFor(group.spec);
    } catch (err) {
      group.fail(err instanceof Error ? err.message : String(err));
      return;
    }
    m.leased = false;
    m.group = group;
    group.members.add(m);
    let list = this.free.get(m.key);
    if (!list) this.free.set(m.key, (list = []));
    list.push(m);
    void m.env.terminated.then(() => {
      group.members.delete(m);
      if (!group.active || this.draining || m.retiring) return;
      // Died before its init finished: the configuration fails, as Lambda reports it.
      if (!m.initialized) group.fail('FUNCTION_ERROR_INIT_FAILURE: the function failed to initialize.');
      else this.startProvisioned(group);
    });
  }
}

class ProvisionedGroup {
  readonly members = new Set<Member>();
  active = true;
  private initializedCount = 0;
  private failure: string | undefined;
  private inUse = 0;
  private peakInUse = 0;
  constructor(
    readonly spec: FunctionSpec,
    readonly count: number,
  ) {}
  initializedOne(): void {
    this.initializedCount++;
  }
  /** One of its environments was leased for an invocation. */
  enter(): void {
    this.inUse++;
    if (this.inUse > this.peakInUse) this.peakInUse = this.inUse;
  }
  leave(): void {
    this.inUse--;
  }
  takePeakInUse(): number {
    const peak = this.peakInUse;
    this.peakInUse = this.inUse;
    return peak;
  }
  fail(reason: string): void {
    this.failure ??= reason;
  }
  status(): { status: 'IN_PROGRESS' | 'READY' | 'FAILED'; reason?: string } {
    if (this.failure) return { status: 'FAILED', reason: this.failure };
    return { status: this.initializedCount >= this.count ? 'READY' : 'IN_PROGRESS' };
  }
}

/** The most recently used idle provisioned environment, if any. */
function pickProvisioned(list: readonly Member[]): Member | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.pinned && list[i]!.state === 'Idle') return list[i];
  return undefined;
}

function removeFrom<T>(list: T[], item: T): void {
  if (list[list.length - 1] === item) {
    list.pop();
    return;
  }
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
