import { describe, expect, it } from 'vitest';
import type { EnvironmentState } from '../environment/environment-state.js';
import { expired, nextExpiry, pickWarm, planStart, type PoolSlot } from './pool-policy.js';

const slot = (name: string, state: EnvironmentState, releasedAt = 0, leased = false, key = 'k') => ({
  name,
  key,
  state,
  releasedAt,
  leased,
});
type Named = PoolSlot & { name: string };

describe('pickWarm', () => {
  it('takes nothing from an empty list', () => {
    expect(pickWarm([])).toBeUndefined();
  });

  it('prefers the most recently used Idle environment', () => {
    const free: Named[] = [slot('a', 'Idle', 1), slot('b', 'Idle', 2), slot('c', 'Finishing', 3)];
    expect(pickWarm(free)?.name).toBe('b');
  });

  it('falls back to the most recent Finishing one (sequential callers reuse the same environment)', () => {
    const free: Named[] = [slot('a', 'Finishing', 1), slot('b', 'Finishing', 2)];
    expect(pickWarm(free)?.name).toBe('b');
  });
});

describe('planStart', () => {
  it('needs no room under the limit', () => {
    expect(planStart([slot('a', 'Idle')], 2)).toEqual({ evict: [] });
    expect(planStart([], Number.POSITIVE_INFINITY)).toEqual({ evict: [] });
  });

  it('evicts the least recently used free environment at the limit, of any function', () => {
    const all: Named[] = [slot('a', 'Idle', 5, false, 'x'), slot('b', 'Busy', 0, true), slot('c', 'Idle', 2, false, 'y')];
    expect(planStart(all, 3)?.evict.map((s) => s.name)).toEqual(['c']);
  });

  it('refuses when everything is leased', () => {
    expect(planStart([slot('a', 'Busy', 0, true), slot('b', 'Initializing', 0, true)], 2)).toBeUndefined();
  });

  it('does not count environments on their way out', () => {
    expect(planStart([slot('a', 'Stopping'), slot('b', 'Failed'), slot('c', 'Busy', 0, true)], 2)).toEqual({ evict: [] });
  });
});

describe('keep-alive', () => {
  const free: Named[] = [slot('a', 'Idle', 1_000), slot('b', 'Idle', 5_000), slot('c', 'Busy', 0, true)];

  it('expires free environments idle for keepAliveMs or more', () => {
    expect(expired(free, 10_999, 10_000).map((s) => s.name)).toEqual([]);
    expect(expired(free, 11_000, 10_000).map((s) => s.name)).toEqual(['a']);
    expect(expired(free, 20_000, 10_000).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('knows when the next one expires', () => {
    expect(nextExpiry(free, 10_000)).toBe(11_000);
    expect(nextExpiry([], 10_000)).toBeUndefined();
    expect(nextExpiry([slot('c', 'Busy', 0, true)], 10_000)).toBeUndefined();
  });
});
