/**
 * Lambda's concurrency scaling rate, as a pure token bucket: each function may add at most
 * `environments` new execution environments per `periodMs` (AWS: 1,000 every 10 seconds),
 * refilled continuously and never banked beyond that.
 * https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
 */

export interface ScaleUpRate {
  environments: number;
  periodMs: number;
}

export const DEFAULT_SCALE_UP_RATE: ScaleUpRate = { environments: 1000, periodMs: 10_000 };

export interface ScaleUpBucket {
  tokens: number;
  /** Monotonic ms of the last update. */
  at: number;
}

/** Takes one new environment from `bucket` at `now`; `ok` false when the rate is spent. */
export function takeScaleUp(bucket: ScaleUpBucket | undefined, now: number, rate: ScaleUpRate): { ok: boolean; bucket: ScaleUpBucket } {
  const start = bucket ?? { tokens: rate.environments, at: now };
  const refilled = Math.min(rate.environments, start.tokens + ((now - start.at) * rate.environments) / rate.periodMs);
  if (refilled < 1) return { ok: false, bucket: { tokens: refilled, at: now } };
  return { ok: true, bucket: { tokens: refilled - 1, at: now } };
}
