import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

describe('ConcurrencyLimiter', () => {
  it('releases the lease on success and on failure', async () => {
    const limiter = new ConcurrencyLimiter(1000);
    limiter.setReserved('a', 1);
    await limiter.withLease('a', async () => 'ok');
    await expect(limiter.withLease('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.withLease('a', async () => 'again')).toBe('again');
    expect(limiter.usage()).toEqual({ current: 0, peak: 1, unreservedCurrent: 0 });
  });

  it('throttles past a reservation with AWS 429 and the reason', async () => {
    const limiter = new ConcurrencyLimiter(1000);
    limiter.setReserved('a', 1);
    let release!: () => void;
    const running = limiter.withLease('a', () => new Promise<void>((r) => (release = r)));
    const err = await limiter.withLease('a', async () => 'x').catch((e) => e);
    expect(err).toMatchObject({ code: 'TooManyRequestsException', status: 429, fields: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } });
    expect(err.headers['Retry-After']).toBeDefined();
    release();
    await running;
  });

  it('refuses a reservation that leaves less than 100 unreserved, changing nothing', () => {
    const limiter = new ConcurrencyLimiter(1000);
    limiter.setReserved('a', 800);
    expect(() => limiter.setReserved('b', 101)).toThrow(/minimum value of \[100\]/);
    expect(limiter.reservations().get('b')).toBeUndefined();
    expect(limiter.unreservedLimit()).toBe(200);
  });
});
