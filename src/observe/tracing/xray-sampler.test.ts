import { describe, expect, it } from 'vitest';
import { sampleRequest, XRaySampler } from './xray-sampler.js';

const T = 1_700_000_000_000;

describe('sampleRequest (X-Ray default rule)', () => {
  it('samples the first request of each second whatever the draw', () => {
    const first = sampleRequest(undefined, T, 0.99);
    expect(first.sampled).toBe(true);
    expect(first.reservoir).toEqual({ second: T / 1000, taken: 1 });
  });

  it('then samples by the 5% fixed rate within the same second', () => {
    const { reservoir } = sampleRequest(undefined, T, 0.99);
    expect(sampleRequest(reservoir, T + 500, 0.049).sampled).toBe(true);
    expect(sampleRequest(reservoir, T + 500, 0.05).sampled).toBe(false);
    expect(sampleRequest(reservoir, T + 999, 0.5).reservoir).toBe(reservoir);
  });

  it('refills the reservoir at the next second', () => {
    const { reservoir } = sampleRequest(undefined, T + 999, 0.99);
    expect(sampleRequest(reservoir, T + 1000, 0.99)).toEqual({ sampled: true, reservoir: { second: T / 1000 + 1, taken: 1 } });
  });

  it('follows another rule', () => {
    const rule = { reservoirPerSecond: 2, fixedRate: 0 };
    const a = sampleRequest(undefined, T, 0, rule);
    const b = sampleRequest(a.reservoir, T, 0, rule);
    const c = sampleRequest(b.reservoir, T, 0, rule);
    expect([a.sampled, b.sampled, c.sampled]).toEqual([true, true, false]);
  });
});

describe('XRaySampler', () => {
  it('keeps one reservoir per function', () => {
    let now = T;
    const sampler = new XRaySampler({ now: () => now, monotonic: () => now }, () => 0.5);
    expect(sampler.sample('a')).toBe(true);
    expect(sampler.sample('a')).toBe(false);
    expect(sampler.sample('b')).toBe(true);
    now += 1000;
    expect(sampler.sample('a')).toBe(true);
  });
});
