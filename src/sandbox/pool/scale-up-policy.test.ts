import { describe, expect, it } from 'vitest';
import { takeScaleUp, type ScaleUpBucket } from './scale-up-policy.js';

const rate = { environments: 2, periodMs: 10_000 };

describe('takeScaleUp', () => {
  it('allows a burst of the rate, then refills continuously without banking', () => {
    let bucket: ScaleUpBucket | undefined;
    const take = (now: number) => {
      const r = takeScaleUp(bucket, now, rate);
      bucket = r.bucket;
      return r.ok;
    };
    expect([take(0), take(0), take(0)]).toEqual([true, true, false]);
    expect(take(4_999)).toBe(false);
    expect(take(5_000)).toBe(true);
    // A long quiet spell refills to the rate, not beyond.
    expect([take(100_000), take(100_000), take(100_000)]).toEqual([true, true, false]);
  });
});
