import { describe, expect, it } from 'vitest';
import { addStatisticSet, addValue, emptyAggregate, isPercentile, mergeAggregate, percentile, statistic } from './metric-aggregate.js';

describe('metric aggregate', () => {
  it('answers the basic statistics', () => {
    const a = emptyAggregate();
    for (const v of [4, 1, 7]) addValue(a, v);
    addValue(a, 2, 3);
    expect([statistic(a, 'SampleCount'), statistic(a, 'Sum'), statistic(a, 'Minimum'), statistic(a, 'Maximum')]).toEqual([6, 18, 1, 7]);
    expect(statistic(a, 'Average')).toBe(3);
    expect(statistic(emptyAggregate(), 'Sum')).toBeUndefined();
  });

  it('estimates percentiles within 1% and clamps them to what was seen', () => {
    const a = emptyAggregate();
    for (let v = 1; v <= 1000; v++) addValue(a, v);
    for (const p of [50, 90, 99]) expect(Math.abs(percentile(a, p)! - p * 10) / (p * 10)).toBeLessThan(0.011);
    expect(percentile(a, 100)).toBe(1000);
    expect(percentile(a, 0)).toBe(1);
    const mixed = emptyAggregate();
    for (const v of [-5, 0, 5]) addValue(mixed, v);
    expect([statistic(mixed, 'p1'), statistic(mixed, 'p50'), statistic(mixed, 'p100')].map((x) => Math.round(x!))).toEqual([-5, 0, 5]);
  });

  it('merges by adding, and statistic sets add no distribution', () => {
    const a = emptyAggregate();
    addValue(a, 10);
    const b = emptyAggregate();
    addValue(b, 20);
    addStatisticSet(b, { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 });
    mergeAggregate(a, b);
    expect(a).toMatchObject({ count: 4, sum: 33, min: 1, max: 20 });
    expect(Object.values(a.histogram).reduce((s, n) => s + n, 0)).toBe(2);
    const sets = emptyAggregate();
    addStatisticSet(sets, { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 });
    expect(statistic(sets, 'p50')).toBeUndefined();
  });

  it('recognizes percentile names', () => {
    expect(['p99', 'p99.9', 'p0', 'p100'].every(isPercentile)).toBe(true);
    expect(['p101', 'P99', 'tm99', 'p', 'IQM'].some(isPercentile)).toBe(false);
  });
});
