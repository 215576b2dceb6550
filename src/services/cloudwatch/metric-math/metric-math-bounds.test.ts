/**
 * Metric math at the sizes a request may reach: 100,800 periods, 45,000 stored points, the
 * deepest expression 2,048 characters can write. Each answers in linear time or with a
 * MetricMathError, never with a RangeError (a 500) or a quadratic stall.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type MathContext, type Series } from './metric-math.js';
import { MAX_NESTING, MetricMathError, parseMetricMath } from './metric-math-parser.js';

const MIN = 60_000;
const PERIODS = 100_800;
const every = (n: number, step: number, value: (i: number) => number): Series => ({
  label: 's',
  period: 60,
  points: new Map(Array.from({ length: n }, (_, i) => [i * step * MIN, value(i)] as [number, number])),
});
const context = (series: Series, maxGridPoints?: number): MathContext => ({
  resolve: (id) => (id === 'm' ? { type: 'TS', series } : undefined),
  metrics: () => [{ id: 'm', series }],
  startTime: 0,
  endTime: PERIODS * MIN,
  defaultPeriod: 60,
  ...(maxGridPoints !== undefined ? { maxGridPoints } : {}),
});
const run = (expression: string, series: Series, maxGridPoints?: number) => evaluate(parseMetricMath(expression), context(series, maxGridPoints));

describe('metric math at its limits', () => {
  it.each(['MIN', 'MAX'])('%s of 100,800 values is a scalar, not a stack overflow', (fn) => {
    const value = run(`${fn}(m)`, every(PERIODS, 1, (i) => i));
    expect(value).toEqual({ type: 'S', value: fn === 'MIN' ? 0 : PERIODS - 1 });
  });

  it.each(['REPEAT', 'LINEAR'])('FILL(m, %s) over 100,800 periods and 45,000 points is linear', (how) => {
    const started = Date.now();
    const value = run(`FILL(m, ${how})`, every(45_000, 2, (i) => i));
    expect(value.type === 'TS' && value.series.points.size).toBe(PERIODS);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses to fill more periods than the page was sized for', () => {
    expect(() => run('FILL(m, 0)', every(1, 1, () => 1), 1000)).toThrow(MetricMathError);
  });

  it.each([
    ['parentheses', `${'('.repeat(1000)}1${')'.repeat(1000)}`],
    ['signs', `${'-'.repeat(2000)}1`],
    ['calls', `${'ABS('.repeat(500)}m${')'.repeat(500)}`],
    ['arrays', `${'['.repeat(1000)}m${']'.repeat(1000)}`],
    ['powers', `${'2^'.repeat(1000)}2`],
  ])('refuses nesting of %s deeper than MAX_NESTING with a MetricMathError', (_what, expression) => {
    expect(() => parseMetricMath(expression)).toThrow(`nested more than ${MAX_NESTING} levels`);
  });

  it(`accepts ${MAX_NESTING} levels`, () => {
    expect(run(`${'('.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)}`, every(1, 1, () => 1))).toEqual({ type: 'S', value: 1 });
  });
});

describe("metric math names that are Object.prototype's", () => {
  it.each(['__proto__', '__defineGetter__', '__lookupSetter__'])('%s(m) is an unrecognized function, not a TypeError', (name) => {
    expect(() => run(`${name}(m)`, every(1, 1, () => 1))).toThrow(`Unrecognized function ${name}.`);
  });
});
