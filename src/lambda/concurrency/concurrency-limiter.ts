/**
 * Holds the account's concurrency: reservations and what runs now. Capacity is taken as a
 * lease (`withLease`) and released on every exit path; the decision itself is the pure
 * `admit` of concurrency-policy.ts.
 */
import { LambdaErrors, throttled } from '../lambda-errors.js';
import { admit, reservationProblem, unreservedCapacity, type ConcurrencySnapshot } from './concurrency-policy.js';

export interface ConcurrencyUsage {
  /** Invocations running now, account-wide. */
  current: number;
  /** Highest `current` seen since start. */
  peak: number;
  unreservedCurrent: number;
}

/** What a lease was taken from: the function's reservation, or the account's unreserved pool. */
export interface Lease {
  reserved: boolean;
}

export class ConcurrencyLimiter {
  private readonly reserved = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private unreservedInFlight = 0;
  private current = 0;
  private peak = 0;

  constructor(readonly accountLimit: number) {}

  /** Runs `fn` holding one unit of `functionName`'s concurrency, or throws AWS's 429. */
  async withLease<T>(functionName: string, fn: (lease: Lease) => Promise<T>): Promise<T> {
    const admission = admit(this.snapshot(), functionName);
    if (!admission.ok) {
      throw throttled(admission.reason);
    }
    this.inFlight.set(functionName, (this.inFlight.get(functionName) ?? 0) + 1);
    if (!admission.reserved) this.unreservedInFlight++;
    this.current++;
    if (this.current > this.peak) this.peak = this.current;
    try {
      return await fn({ reserved: admission.reserved });
    } finally {
      const left = (this.inFlight.get(functionName) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(functionName);
      else this.inFlight.set(functionName, left);
      if (!admission.reserved) this.unreservedInFlight--;
      this.current--;
    }
  }

  /** Sets (or, with undefined, removes) a function's reservation after checking the account rule. */
  setReserved(functionName: string, reserved: number | undefined): void {
    if (reserved === undefined) {
      this.reserved.delete(functionName);
      return;
    }
    const problem = reservationProblem(this.snapshot(), functionName, reserved);
    if (problem) throw LambdaErrors.invalidParameter(problem);
    this.reserved.set(functionName, reserved);
  }

  /** Sets a stored reservation at start-up, as it was accepted then (no re-check). */
  restore(functionName: string, reserved: number): void {
    this.reserved.set(functionName, reserved);
  }

  /** Checks a reservation without setting it (to validate before a store write). */
  checkReserved(functionName: string, reserved: number): void {
    const problem = reservationProblem(this.snapshot(), functionName, reserved);
    if (problem) throw LambdaErrors.invalidParameter(problem);
  }

  /** Every function's reserved concurrency, by function name (for ClaimedAccountConcurrency). */
  reservations(): ReadonlyMap<string, number> {
    return this.reserved;
  }

  /** Concurrency left to functions without a reservation (GetAccountSettings). */
  unreservedLimit(): number {
    return unreservedCapacity(this.snapshot());
  }

  usage(): ConcurrencyUsage {
    return { current: this.current, peak: this.peak, unreservedCurrent: this.unreservedInFlight };
  }

  private snapshot(): ConcurrencySnapshot {
    return {
      accountLimit: this.accountLimit,
      reserved: this.reserved,
      inFlight: this.inFlight,
      unreservedInFlight: this.unreservedInFlight,
    };
  }
}

/**
 * The node's concurrency for /metrics: what runs now summed over every scope's limiter, with
 * the limits of `home` (the server's own account and region).
 */
export function concurrencyAcross(limiters: Iterable<ConcurrencyLimiter>, home: ConcurrencyLimiter) {
  const total = { current: 0, peak: 0, unreservedCurrent: 0 };
  for (const l of limiters) {
    const u = l.usage();
    total.current += u.current;
    total.peak += u.peak;
    total.unreservedCurrent += u.unreservedCurrent;
  }
  return { ...total, unreservedLimit: home.unreservedLimit(), accountLimit: home.accountLimit };
}
