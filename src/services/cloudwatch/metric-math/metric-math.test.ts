import { describe, expect, it } from 'vitest';
import { evaluate, type MathContext, type MathValue, type Series } from './metric-math.js';
import { MetricMathError, parseMetricMath, referencedIds } from './metric-math-parser.js';

const T = (minute: number) => minute * 60_000;
/** A series from values per minute; `undefined` marks a missing point. */
const ts = (label: string, values: (number | undefined)[], period = 60): Series => ({
  label,
  period,
  points: new Map(values.flatMap((v, i) => (v === undefined ? [] : [[T(i), v] as [number, number]]))),
});
/** A TS result as values per minute over `n` minutes, `undefined` where missing. */
const values = (v: MathValue, n = 5) => {
  if (v.type !== 'TS') throw new Error(`expected a TS, got ${v.type}`);
  return Array.from({ length: n }, (_, i) => v.series.points.get(T(i)));
};

function context(series: Record<string, Series>): MathContext {
  return {
    resolve: (id) => (series[id] ? { type: 'TS', series: series[id]! } : undefined),
    metrics: () => Object.entries(series).map(([id, s]) => ({ id, series: s })),
    startTime: T(0),
    endTime: T(5),
    defaultPeriod: 60,
  };
}
const run = (expression: string, series: Record<string, Series>) => evaluate(parseMetricMath(expression), context(series));

const errors = ts('Errors', [1, 0, 2, undefined, 5]);
const invocations = ts('Invocations', [10, 0, 4, 2, undefined]);

describe('parseMetricMath', () => {
  it('follows precedence: ^ over unary minus over * / over + -, comparisons, AND, OR', () => {
    expect(evaluate(parseMetricMath('2 + 3 * 4 ^ 2'), context({}))).toEqual({ type: 'S', value: 50 });
    expect(evaluate(parseMetricMath('-2 ^ 2'), context({}))).toEqual({ type: 'S', value: -4 });
    expect(evaluate(parseMetricMath('2 ^ 3 ^ 2'), context({}))).toEqual({ type: 'S', value: 512 });
    expect(evaluate(parseMetricMath('(2 + 3) * 4 - 10 / 4'), context({}))).toEqual({ type: 'S', value: 17.5 });
    expect(evaluate(parseMetricMath('1 < 2 AND 3 >= 4 || 1e-3 == 0.001'), context({}))).toEqual({ type: 'S', value: 1 });
  });

  it('reads ids, functions, keywords, strings (curly quotes too) and arrays', () => {
    expect(parseMetricMath('FILL(m1, REPEAT)')).toEqual({ kind: 'call', name: 'FILL', args: [{ kind: 'id', name: 'm1' }, { kind: 'keyword', name: 'REPEAT' }] });
    expect(parseMetricMath('SUM([METRICS(\u201c4xx\u201d), m_2])')).toMatchObject({
      args: [{ kind: 'array', items: [{ kind: 'call', name: 'METRICS', args: [{ kind: 'string', value: '4xx' }] }, { kind: 'id', name: 'm_2' }] }],
    });
    expect([...referencedIds(parseMetricMath('100 * errors / (invocations + AVG([a, b]))'))].sort()).toEqual(['a', 'b', 'errors', 'invocations']);
  });

  it('says where an expression is malformed', () => {
    const problem = (text: string) => {
      try {
        parseMetricMath(text);
      } catch (err) {
        expect(err).toBeInstanceOf(MetricMathError);
        return (err as Error).message;
      }
      throw new Error(`parsed: ${text}`);
    };
    expect(problem('m1 +')).toBe('Unexpected end of expression.');
    expect(problem('(m1 * 2')).toBe("Expected ')' but found end of expression.");
    expect(problem('m1 $ 2')).toBe("Unexpected character '$' at position 4.");
    expect(problem('m1 m2')).toBe("Unexpected 'm2' at position 4.");
    expect(problem('METRICS("x)')).toBe('Unterminated string at position 9.');
    expect(problem('a < b < c')).toBe("Unexpected '<' at position 7.");
    expect(problem('  ')).toBe('The expression is empty.');
  });
});

describe('evaluate', () => {
  it('computes an error rate, missing values as 0 and division by zero dropped', () => {
    expect(values(run('100 * errors / invocations', { errors, invocations }))).toEqual([10, undefined, 50, 0, undefined]);
    expect(values(run('errors + invocations', { errors, invocations }))).toEqual([11, 0, 6, 2, 5]);
    expect(values(run('-errors', { errors }))).toEqual([-1, -0, -2, undefined, -5]);
    expect(values(run('errors >= 2', { errors }))).toEqual([0, 0, 1, undefined, 1]);
  });

  it('maps arrays element by element, keeping each metric label', () => {
    const out = run('METRICS() * 2', { errors, invocations });
    expect(out.type).toBe('TS[]');
    if (out.type !== 'TS[]') return;
    expect(out.list.map((s) => s.label)).toEqual(['Errors', 'Invocations']);
    expect(values({ type: 'TS', series: out.list[1]! })).toEqual([20, 0, 8, 4, undefined]);
    const filtered = run('METRICS("inv")', { errors, invocations });
    expect(filtered.type === 'TS[]' && filtered.list.map((s) => s.label)).toEqual(['Invocations']);
  });

  it('aggregates: a TS gives a scalar, a TS[] a TS per timestamp', () => {
    expect(run('SUM(errors)', { errors })).toEqual({ type: 'S', value: 8 });
    expect(run('AVG(errors)', { errors })).toEqual({ type: 'S', value: 2 });
    expect(run('MAX(errors) - MIN(errors)', { errors })).toEqual({ type: 'S', value: 5 });
    expect(run('DATAPOINT_COUNT(errors)', { errors })).toEqual({ type: 'S', value: 4 });
    expect(run('STDDEV(invocations)', { invocations })).toEqual({ type: 'S', value: Math.sqrt(14) });
    expect(values(run('SUM(METRICS())', { errors, invocations }))).toEqual([11, 0, 6, 2, 5]);
    expect(values(run('AVG([errors, invocations])', { errors, invocations }))).toEqual([5.5, 0, 3, 1, 2.5]);
    expect(values(run('MAX(METRICS())', { errors, invocations }))).toEqual([10, 0, 4, 2, 5]);
    expect(values(run('errors - AVG(errors)', { errors }))).toEqual([-1, -2, 0, undefined, 3]);
    expect(run('METRIC_COUNT(METRICS())', { errors, invocations })).toEqual({ type: 'S', value: 2 });
  });

  it('fills gaps with a value, another series, the last value or a line', () => {
    const gappy = ts('g', [undefined, 2, undefined, undefined, 8]);
    expect(values(run('FILL(g, 0)', { g: gappy }))).toEqual([0, 2, 0, 0, 8]);
    expect(values(run('FILL(g, errors)', { g: gappy, errors }))).toEqual([1, 2, 2, undefined, 8]);
    expect(values(run('FILL(g, REPEAT)', { g: gappy }))).toEqual([2, 2, 2, 2, 8]);
    expect(values(run('FILL(g, LINEAR)', { g: gappy }))).toEqual([2, 2, 4, 6, 8]);
    const filled = run('FILL(METRICS(), 7)', { g: gappy });
    expect(filled.type === 'TS[]' && values({ type: 'TS', series: filled.list[0]! })).toEqual([7, 2, 7, 7, 8]);
  });

  it('chooses per timestamp with IF, as AWS tabulates it', () => {
    const m1 = ts('m1', [1, 1, 0, 0, undefined]);
    const m2 = ts('m2', [30, undefined, 0, 0, 30]);
    const m3 = ts('m3', [0, 0, 20, undefined, 20]);
    expect(values(run('IF(m1, m2, m3)', { m1, m2, m3 }))).toEqual([30, 0, 20, undefined, undefined]);
    expect(values(run('IF(m1, 5, m3)', { m1, m3 }))).toEqual([5, 5, 20, undefined, undefined]);
    expect(values(run('IF(m1, m2, 5)', { m1, m2 }))).toEqual([30, 0, 5, 5, undefined]);
    expect(values(run('IF(m2 > 10, m2)', { m2 }))).toEqual([30, undefined, undefined, undefined, 30]);
    expect(values(run('IF(1, m2, m3)', { m2, m3 }))).toEqual(values({ type: 'TS', series: m2 }));
  });

  it('differences, rates, running sums and per-point functions', () => {
    const counter = ts('c', [10, 40, undefined, 100, 100]);
    expect(values(run('DIFF(c)', { c: counter }))).toEqual([undefined, 30, undefined, 60, 0]);
    expect(values(run('RATE(c)', { c: counter }))).toEqual([undefined, 0.5, undefined, 0.5, 0]);
    expect(values(run('DIFF_TIME(c)', { c: counter }))).toEqual([undefined, 60, undefined, 120, 60]);
    expect(values(run('RUNNING_SUM(c)', { c: counter }))).toEqual([10, 50, undefined, 150, 250]);
    expect(values(run('ABS(CEIL(c / -3))', { c: counter }))).toEqual([3, 13, undefined, 33, 33]);
    expect(values(run('c / PERIOD(c)', { c: counter })).slice(0, 2)).toEqual([10 / 60, 40 / 60]);
    expect(values(run('TIME_SERIES(MAX(c))', { c: counter }))).toEqual([100, 100, 100, 100, 100]);
    expect(values(run('LAST(REMOVE_EMPTY([c, e]))', { c: counter, e: ts('e', []) }))).toEqual(values({ type: 'TS', series: counter }));
  });

  it('refuses what the language does not allow, naming it', () => {
    const problem = (expression: string, series: Record<string, Series> = { errors, invocations }) => {
      try {
        run(expression, series);
      } catch (err) {
        expect(err).toBeInstanceOf(MetricMathError);
        return (err as Error).message;
      }
      throw new Error(`evaluated: ${expression}`);
    };
    expect(problem('nope * 2')).toBe("Unrecognized id 'nope': no query in the request has this Id.");
    expect(problem('FOO(errors)')).toBe('Unrecognized function FOO.');
    expect(problem('SEARCH("{AWS/Lambda}", "Sum", 60)')).toBe('The function SEARCH is not supported by Nimbus yet.');
    expect(problem('FILL(errors)')).toBe('FILL takes 2 arguments, not 1.');
    expect(problem('FILL(errors, SIDEWAYS)')).toBe('FILL fills with a number, a time series, REPEAT or LINEAR, not SIDEWAYS.');
    expect(problem('METRICS() + METRICS()')).toBe('The operator + cannot combine two arrays of time series.');
    expect(problem('[errors, 1]')).toBe('An array may only hold time series.');
    expect(problem('PERIOD(METRICS())')).toBe('PERIOD takes a time series, not an array of time series.');
    expect(problem('METRIC_COUNT(errors)')).toBe('METRIC_COUNT takes an array of time series, not a time series.');
  });
});
