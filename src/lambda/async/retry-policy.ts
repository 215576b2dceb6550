/**
 * What happens to an asynchronous event after an attempt, as a pure function: run it again
 * later, or give up and send it to the failure destination. Lambda retries a function error
 * up to MaximumRetryAttempts times (about 1 then 2 minutes apart), retries throttles and
 * platform faults with back-off for up to MaximumEventAgeInSeconds (6 hours at most), and
 * drops events older than that.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */

export interface RetrySettings {
  /** 0..2; Lambda's default is 2. */
  maximumRetryAttempts: number;
  /** 60..21600; Lambda's default is 21600 (6 hours). */
  maximumEventAgeSeconds: number;
  /** Delay before the first retry of a function error; Lambda waits about 1 minute, doubling after. */
  functionErrorBaseDelayMs: number;
  /** Delay before retrying a throttled event; doubles up to `maxThrottleDelayMs`. */
  throttleBaseDelayMs: number;
  maxThrottleDelayMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
  functionErrorBaseDelayMs: 60_000,
  throttleBaseDelayMs: 1_000,
  maxThrottleDelayMs: 5 * 60_000,
};

export type AttemptOutcome = 'success' | 'function-error' | 'throttled';

export interface EventProgress {
  /** When the event was accepted (epoch ms). */
  receivedAt: number;
  /** Attempts that ran the function (throttles do not count, as on AWS). */
  attempts: number;
  /** Consecutive throttles, for back-off. */
  throttles: number;
}

export type Decision =
  | { kind: 'done' }
  | { kind: 'retry'; at: number }
  | { kind: 'failed'; condition: 'RetriesExhausted' | 'EventAgeExceeded' };

/** Decides after one attempt; `progress` already counts the attempt (or throttle) that just happened. */
export function decide(outcome: AttemptOutcome, progress: EventProgress, now: number, s: RetrySettings): Decision {
  if (outcome === 'success') return { kind: 'done' };
  const expiresAt = progress.receivedAt + s.maximumEventAgeSeconds * 1000;
  let delay: number;
  if (outcome === 'function-error') {
    if (progress.attempts > s.maximumRetryAttempts) return { kind: 'failed', condition: 'RetriesExhausted' };
    delay = s.functionErrorBaseDelayMs * 2 ** (progress.attempts - 1);
  } else {
    delay = Math.min(s.throttleBaseDelayMs * 2 ** Math.max(0, progress.throttles - 1), s.maxThrottleDelayMs);
  }
  if (now + delay >= expiresAt) return { kind: 'failed', condition: 'EventAgeExceeded' };
  return { kind: 'retry', at: now + delay };
}

/** An event picked up after its maximum age is dropped without running. */
export function expired(progress: EventProgress, now: number, s: RetrySettings): boolean {
  return now >= progress.receivedAt + s.maximumEventAgeSeconds * 1000;
}
