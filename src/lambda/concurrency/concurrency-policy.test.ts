import { describe, expect, it } from 'vitest';
import { admit, reservationProblem, unreservedCapacity, type ConcurrencySnapshot } from './concurrency-policy.js';

const snapshot = (o: Partial<ConcurrencySnapshot> = {}): ConcurrencySnapshot => ({
  accountLimit: 1000,
  reserved: new Map(),
  inFlight: new Map(),
  unreservedInFlight: 0,
  ...o,
});

describe('admit', () => {
  it('lets unreserved functions share what reservations leave', () => {
    const s = snapshot({ reserved: new Map([['a', 300]]), unreservedInFlight: 699 });
    expect(unreservedCapacity(s)).toBe(700);
    expect(admit(s, 'b')).toEqual({ ok: true, reserved: false });
    expect(admit({ ...s, unreservedInFlight: 700 }, 'b')).toEqual({ ok: false, reason: 'ConcurrentInvocationLimitExceeded' });
  });

  it('holds a reserved function to its reservation, whatever the shared pool does', () => {
    const s = snapshot({ reserved: new Map([['a', 2]]), inFlight: new Map([['a', 1]]), unreservedInFlight: 998 });
    expect(admit(s, 'a')).toEqual({ ok: true, reserved: true });
    const full = { ...s, inFlight: new Map([['a', 2]]) };
    expect(admit(full, 'a')).toEqual({ ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });

  it('throttles every invoke of a function reserved at 0', () => {
    expect(admit(snapshot({ reserved: new Map([['a', 0]]) }), 'a')).toEqual({
      ok: false,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });
});

describe('reservationProblem', () => {
  it('keeps 100 unreserved', () => {
    const s = snapshot({ reserved: new Map([['a', 500]]) });
    expect(reservationProblem(s, 'b', 400)).toBeUndefined();
    expect(reservationProblem(s, 'b', 401)).toMatch(/below its minimum value of \[100\]/);
    // A function's own old reservation does not count against its new one.
    expect(reservationProblem(s, 'a', 900)).toBeUndefined();
  });
});
