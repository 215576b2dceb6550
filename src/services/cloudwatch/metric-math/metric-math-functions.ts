/**
 * The functions of metric math Nimbus evaluates, by AWS's names and argument types. An aggregate
 * (SUM, AVG, MIN, MAX, STDDEV, DATAPOINT_COUNT) of one TS is a scalar over its points and of a
 * TS[] is a TS over their timestamps; SUM and AVG count a missing value as 0, as AWS documents.
 * Functions AWS has and Nimbus does not (SEARCH, SORT, ANOMALY_DETECTION_BAND, ...) are named as
 * such in the error. Pure.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html#metric-math-syntax-functions-list
 */
import { MetricMathError } from './metric-math-parser.js';
import { describeType, MAX_GRID_POINTS, union, type MathContext, type MathValue, type Series } from './metric-math-values.js';

type Fn = (args: MathValue[], ctx: MathContext, name: string) => MathValue;
type ScalarOrSeries = Extract<MathValue, { type: 'S' } | { type: 'TS' }>;

/** AWS functions Nimbus does not evaluate yet: refused by name rather than as unknown. */
const NOT_YET = new Set([
  'ANOMALY_DETECTION_BAND', 'INSIGHT_RULE_METRIC', 'SEARCH', 'SERVICE_QUOTA', 'SLICE', 'SORT', 'LAMBDA',
  'MINUTE', 'HOUR', 'DAY', 'DATE', 'MONTH', 'YEAR', 'EPOCH', 'CONCAT',
]);

/** Applies function `name` to evaluated arguments. */
export function callFunction(name: string, args: MathValue[], ctx: MathContext): MathValue {
  // Own names only: `__proto__(m1)` is a call too (words not starting lowercase are functions).
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) {
    if (NOT_YET.has(name)) throw new MetricMathError(`The function ${name} is not supported by Nimbus yet.`);
    throw new MetricMathError(`Unrecognized function ${name}.`);
  }
  return fn(args, ctx, name);
}

const FUNCTIONS: Record<string, Fn> = {
  ABS: pointwise(Math.abs),
  CEIL: pointwise(Math.ceil),
  FLOOR: pointwise(Math.floor),
  LOG: pointwise(Math.log),
  LOG10: pointwise(Math.log10),

  SUM: aggregate((v) => v.reduce((a, b) => a + b, 0), true),
  AVG: aggregate((v) => v.reduce((a, b) => a + b, 0) / v.length, true),
  // Loops, not Math.min(...v): spreading 100,800 values overflows the stack.
  MIN: aggregate((v) => v.reduce((a, b) => (b < a ? b : a), Infinity)),
  MAX: aggregate((v) => v.reduce((a, b) => (b > a ? b : a), -Infinity)),
  STDDEV: aggregate((v) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  }),
  DATAPOINT_COUNT: aggregate((v) => v.length),

  METRICS(args, ctx, name) {
    arity(name, args, 0, 1);
    const filter = args[0];
    if (filter && filter.type !== 'string') throw new MetricMathError(`${name} takes a string, not ${describeType(filter)}.`);
    const all = ctx.metrics();
    return { type: 'TS[]', list: all.filter((m) => !filter || m.id.includes(filter.value)).map((m) => m.series) };
  },

  METRIC_COUNT(args, _ctx, name) {
    arity(name, args, 1, 1);
    return { type: 'S', value: array(name, args[0]!).length };
  },

  FIRST: pick((list) => list[0]),
  LAST: pick((list) => list[list.length - 1]),

  REMOVE_EMPTY(args, _ctx, name) {
    arity(name, args, 1, 1);
    return { type: 'TS[]', list: array(name, args[0]!).filter((s) => s.points.size > 0) };
  },

  PERIOD(args, _ctx, name) {
    arity(name, args, 1, 1);
    const v = args[0]!;
    if (v.type !== 'TS') throw new MetricMathError(`${name} takes a time series, not ${describeType(v)}.`);
    return { type: 'S', value: v.series.period };
  },

  DIFF: sequential((prev, cur) => cur.value - prev.value),
  DIFF_TIME: sequential((prev, cur) => (cur.t - prev.t) / 1000),
  RATE: sequential((prev, cur) => (cur.value - prev.value) / ((cur.t - prev.t) / 1000)),
  RUNNING_SUM: perSeries((s) => {
    let sum = 0;
    return mapSorted(s, (_t, v) => (sum += v));
  }),

  TIME_SERIES(args, ctx, name) {
    arity(name, args, 1, 1);
    const v = args[0]!;
    if (v.type !== 'S') throw new MetricMathError(`${name} takes a scalar, not ${describeType(v)}.`);
    const points = new Map<number, number>();
    if (Number.isFinite(v.value)) for (const t of grid(ctx, ctx.defaultPeriod)) points.set(t, v.value);
    return { type: 'TS', series: { label: '', period: ctx.defaultPeriod, points } };
  },

  FILL(args, ctx, name) {
    arity(name, args, 2, 2);
    const how = args[1]!;
    if (how.type === 'keyword' && how.name !== 'REPEAT' && how.name !== 'LINEAR') {
      throw new MetricMathError(`${name} fills with a number, a time series, REPEAT or LINEAR, not ${how.name}.`);
    }
    if (how.type === 'TS[]' || how.type === 'string') throw new MetricMathError(`${name} cannot fill with ${describeType(how)}.`);
    return perSeries((s) => fill(s, how, ctx))(args.slice(0, 1), ctx, name);
  },

  IF(args, ctx, name) {
    arity(name, args, 2, 3);
    const branches: ScalarOrSeries[] = args.map((v) => {
      if (v.type !== 'S' && v.type !== 'TS') throw new MetricMathError(`${name} takes scalars and time series, not ${describeType(v)}.`);
      return v;
    });
    const [condition, whenTrue, whenFalse] = branches as [ScalarOrSeries, ScalarOrSeries, ScalarOrSeries | undefined];
    if (condition.type === 'S') {
      if (condition.value !== 0) return whenTrue;
      return whenFalse ?? { type: 'TS', series: { label: '', period: ctx.defaultPeriod, points: new Map() } };
    }
    const c = condition;
    const points = new Map<number, number>();
    for (const [t, v] of c.series.points) {
      if (v !== 0) {
        // True: the true branch's value, 0 where that series has none.
        points.set(t, whenTrue.type === 'S' ? whenTrue.value : (whenTrue.series.points.get(t) ?? 0));
      } else if (whenFalse) {
        // False: the false branch's value; dropped where that series has none.
        const value = whenFalse.type === 'S' ? whenFalse.value : whenFalse.series.points.get(t);
        if (value !== undefined) points.set(t, value);
      }
    }
    return { type: 'TS', series: { label: c.series.label, period: c.series.period, points } };
  },
};

function arity(name: string, args: MathValue[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new MetricMathError(`${name} takes ${expected} argument${max === 1 ? '' : 's'}, not ${args.length}.`);
  }
}

function array(name: string, v: MathValue): Series[] {
  if (v.type !== 'TS[]') throw new MetricMathError(`${name} takes an array of time series, not ${describeType(v)}.`);
  return v.list;
}

/** A TS → TS function applied to a TS, or to each member of a TS[]. */
function perSeries(f: (s: Series) => Series): Fn {
  return (args, _ctx, name) => {
    arity(name, args, 1, 1);
    const v = args[0]!;
    if (v.type === 'TS') return { type: 'TS', series: f(v.series) };
    if (v.type === 'TS[]') return { type: 'TS[]', list: v.list.map(f) };
    throw new MetricMathError(`${name} takes a time series or an array of time series, not ${describeType(v)}.`);
  };
}

/** A function of each value (a scalar too); points whose result is not finite are dropped. */
function pointwise(f: (x: number) => number): Fn {
  const series = perSeries((s) => mapSorted(s, (_t, v) => f(v)));
  return (args, ctx, name) => {
    if (args.length === 1 && args[0]!.type === 'S') return { type: 'S', value: f(args[0].value) };
    return series(args, ctx, name);
  };
}

/** Over one TS: a scalar. Over a TS[]: a TS of the values at each timestamp (missing as 0 when `zeroFill`). */
function aggregate(f: (values: number[]) => number, zeroFill = false): Fn {
  return (args, ctx, name) => {
    arity(name, args, 1, 1);
    const v = args[0]!;
    if (v.type === 'TS') return { type: 'S', value: v.series.points.size > 0 ? f([...v.series.points.values()]) : NaN };
    if (v.type !== 'TS[]') throw new MetricMathError(`${name} takes a time series or an array of time series, not ${describeType(v)}.`);
    const points = new Map<number, number>();
    for (const t of union(...v.list)) {
      const values: number[] = [];
      for (const s of v.list) {
        const value = s.points.get(t);
        if (value !== undefined) values.push(value);
        else if (zeroFill) values.push(0);
      }
      const result = f(values);
      if (Number.isFinite(result)) points.set(t, result);
    }
    const period = v.list.length > 0 ? v.list.reduce((p, s) => Math.min(p, s.period), Infinity) : ctx.defaultPeriod;
    return { type: 'TS', series: { label: '', period, points } };
  };
}

function pick(f: (list: Series[]) => Series | undefined): Fn {
  return (args, ctx, name) => {
    arity(name, args, 1, 1);
    const chosen = f(array(name, args[0]!));
    return { type: 'TS', series: chosen ?? { label: '', period: ctx.defaultPeriod, points: new Map() } };
  };
}

/** A function of each point and the one before it; the first point has none and is left out. */
function sequential(f: (prev: { t: number; value: number }, cur: { t: number; value: number }) => number): Fn {
  return perSeries((s) => {
    const points = new Map<number, number>();
    let prev: { t: number; value: number } | undefined;
    for (const t of [...s.points.keys()].sort((a, b) => a - b)) {
      const cur = { t, value: s.points.get(t)! };
      if (prev) {
        const value = f(prev, cur);
        if (Number.isFinite(value)) points.set(t, value);
      }
      prev = cur;
    }
    return { ...s, points };
  });
}

function mapSorted(s: Series, f: (t: number, v: number) => number): Series {
  const points = new Map<number, number>();
  for (const t of [...s.points.keys()].sort((a, b) => a - b)) {
    const value = f(t, s.points.get(t)!);
    if (Number.isFinite(value)) points.set(t, value);
  }
  return { ...s, points };
}

/**
 * Period starts on the page, counted from the request's start: the same instants its series'
 * points sit at. Refuses more than the page was sized for (a guard: the planner keeps it so).
 */
function grid(ctx: MathContext, period: number): number[] {
  const step = period * 1000;
  const origin = ctx.origin ?? Math.floor(ctx.startTime / 60_000) * 60_000;
  const first = origin + Math.max(0, Math.ceil((ctx.startTime - origin) / step)) * step;
  const count = Math.max(0, Math.ceil((ctx.endTime - first) / step));
  const limit = ctx.maxGridPoints ?? MAX_GRID_POINTS;
  if (count > limit) throw new MetricMathError(`Filling ${count} periods exceeds the ${limit} this request may compute; narrow the time range or lengthen the period.`);
  const times: number[] = [];
  for (let t = first; t < ctx.endTime; t += step) times.push(t);
  return times;
}

/**
 * FILL: every period of the page gets a value; REPEAT carries the last one forward (before the
 * first value, the first one), LINEAR interpolates between the values around (outside them, the
 * nearest). One pass over the periods and the known points together.
 */
function fill(s: Series, how: MathValue, ctx: MathContext): Series {
  const times = grid(ctx, s.period);
  const points = new Map<number, number>();
  const known = [...s.points.keys()].sort((a, b) => a - b);
  let next = 0; // index of the first known time after the current one
  for (const t of times) {
    while (next < known.length && known[next]! <= t) next++;
    const own = s.points.get(t);
    if (own !== undefined) {
      points.set(t, own);
      continue;
    }
    const before = next > 0 ? known[next - 1] : undefined;
    const after = next < known.length ? known[next] : undefined;
    let value: number | undefined;
    if (how.type === 'S') value = how.value;
    else if (how.type === 'TS') value = how.series.points.get(t);
    else if (how.type === 'keyword') value = how.name === 'REPEAT' ? valueAt(s, before ?? after) : linear(s, t, before, after);
    if (value !== undefined && Number.isFinite(value)) points.set(t, value);
  }
  return { ...s, points };
}

const valueAt = (s: Series, t: number | undefined): number | undefined => (t === undefined ? undefined : s.points.get(t));

/** On the line between the values around `t`; outside them, the nearest value. */
function linear(s: Series, t: number, before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined || after === undefined) return valueAt(s, before ?? after);
  const a = s.points.get(before)!;
  const b = s.points.get(after)!;
  return a + ((b - a) * (t - before)) / (after - before);
}
