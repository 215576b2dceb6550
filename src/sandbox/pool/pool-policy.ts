/**
 * The pool's decisions as pure functions of what it holds and the time, in the manner of
 * OpenWhisk's ContainerPool: which warm environment takes an invocation, what to evict to make
 * room, which idle environments have outlived their keep-alive. The pool only applies them.
 */
import { isGone, type EnvironmentState } from '../environment/environment-state.js';

/** What the policy needs to know about one environment the pool holds. */
export interface PoolSlot {
  readonly key: string;
  readonly state: EnvironmentState;
  /** Leased to an invocation right now. */
  readonly leased: boolean;
  /** Monotonic time its last invocation ended (when it went back to the pool). */
  readonly releasedAt: number;
}

/**
 * Picks the warm environment for an invocation from one key's free list (most recently used
 * last). The most recent Idle one wins: its runtime already waits in GET /next. Failing that,
 * the most recent Finishing one, whose runtime is on its way back to GET /next.
 */
export function pickWarm<T extends PoolSlot>(free: readonly T[]): T | undefined {
  for (let i = free.length - 1; i >= 0; i--) if (free[i]!.state === 'Idle') return free[i];
  return free[free.length - 1];
}

/**
 * Room for one more environment: nothing to do under `max`; else the least recently used free
 * environments (any function) are evicted; undefined when everything is leased (no room).
 * Environments already on their way out do not count.
 */
export function planStart<T extends PoolSlot>(all: Iterable<T>, max: number): { evict: T[] } | undefined {
  const slots = [...all].filter((s) => !isGone(s.state));
  const excess = slots.length + 1 - max;
  if (excess <= 0) return { evict: [] };
  const free = slots.filter((s) => !s.leased).sort((a, b) => a.releasedAt - b.releasedAt);
  if (free.length < excess) return undefined;
  return { evict: free.slice(0, excess) };
}

/** Free environments whose keep-alive has run out at `now`. */
export function expired<T extends PoolSlot>(free: Iterable<T>, now: number, keepAliveMs: number): T[] {
  const out: T[] = [];
  for (const s of free) if (!s.leased && now - s.releasedAt >= keepAliveMs) out.push(s);
  return out;
}

/** When the next free environment expires, or undefined when none is free. */
export function nextExpiry(free: Iterable<PoolSlot>, keepAliveMs: number): number | undefined {
  let earliest: number | undefined;
  for (const s of free) {
    if (s.leased) continue;
    const at = s.releasedAt + keepAliveMs;
    if (earliest === undefined || at < earliest) earliest = at;
  }
  return earliest;
}
