/**
 * Lambda's concurrency rules as pure functions of a snapshot: whether one more invocation of a
 * function may start, and whether a reservation may be set. The stateful ConcurrencyLimiter
 * only applies them.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */

/** AWS keeps at least this much of the account's concurrency unreserved. */
export const MIN_UNRESERVED = 100;

export interface ConcurrencySnapshot {
  accountLimit: number;
  /** Reserved concurrency by function name (0 throttles every invoke). */
  reserved: ReadonlyMap<string, number>;
  /** Invocations running now, by function name. */
  inFlight: ReadonlyMap<string, number>;
  /** Invocations running now of functions without a reservation. */
  unreservedInFlight: number;
}

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

export type Admission = { ok: true; reserved: boolean } | { ok: false; reason: ThrottleReason };

/** Total reserved across functions, optionally leaving one function out. */
export function totalReserved(reserved: ReadonlyMap<string, number>, except?: string): number {
  let sum = 0;
  for (const [name, n] of reserved) if (name !== except) sum += n;
  return sum;
}

/** The pool functions without a reservation share. */
export function unreservedCapacity(s: ConcurrencySnapshot): number {
  return s.accountLimit - totalReserved(s.reserved);
}

/** May one more invocation of `functionName` start now? */
export function admit(s: ConcurrencySnapshot, functionName: string): Admission {
  const reservation = s.reserved.get(functionName);
  if (reservation !== undefined) {
    return (s.inFlight.get(functionName) ?? 0) < reservation
      ? { ok: true, reserved: true }
      : { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
  }
  return s.unreservedInFlight < unreservedCapacity(s)
    ? { ok: true, reserved: false }
    : { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
}

/**
 * Why reserving `requested` for `functionName` is refused (AWS's message), or undefined when
 * it is allowed: the account must keep MIN_UNRESERVED unreserved.
 */
export function reservationProblem(s: Pick<ConcurrencySnapshot, 'accountLimit' | 'reserved'>, functionName: string, requested: number): string | undefined {
  const others = totalReserved(s.reserved, functionName);
  if (others + requested > s.accountLimit - MIN_UNRESERVED) {
    return `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`;
  }
  return undefined;
}
