/**
 * Evaluates a parsed metric math expression over the series of a GetMetricData request. Values
 * are scalars (S), time series (TS) or arrays of time series (TS[]), as AWS types them. The rules
 * AWS documents: between two series a missing value counts as 0; a point whose result is not a
 * finite number (division by zero) is dropped; the final result must be a TS or a TS[]. Pure.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import { callFunction } from './metric-math-functions.js';
import { MetricMathError, type BinaryOperator, type MathNode } from './metric-math-parser.js';
import { describeType, union, type MathContext, type MathValue, type Series } from './metric-math-values.js';

export type { MathContext, MathValue, Series } from './metric-math-values.js';

/** Evaluates `node`; throws MetricMathError for a type or reference the language does not allow. */
export function evaluate(node: MathNode, ctx: MathContext): MathValue {
  switch (node.kind) {
    case 'number':
      return { type: 'S', value: node.value };
    case 'string':
      return { type: 'string', value: node.value };
    case 'keyword':
      return { type: 'keyword', name: node.name };
    case 'id': {
      const value = ctx.resolve(node.name);
      if (!value) throw new MetricMathError(`Unrecognized id '${node.name}': no query in the request has this Id.`);
      return value;
    }
    case 'array': {
      const list: Series[] = [];
      for (const item of node.items) {
        const v = evaluate(item, ctx);
        if (v.type === 'TS') list.push(v.series);
        else if (v.type === 'TS[]') list.push(...v.list);
        else throw new MetricMathError('An array may only hold time series.');
      }
      return { type: 'TS[]', list };
    }
    case 'negate':
      return arithmetic('*', { type: 'S', value: -1 }, evaluate(node.operand, ctx));
    case 'binary':
      return arithmetic(node.op, evaluate(node.left, ctx), evaluate(node.right, ctx));
    case 'call':
      return callFunction(node.name, node.args.map((a) => evaluate(a, ctx)), ctx);
  }
}

const OPERATIONS: Record<BinaryOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '<=': (a, b) => Number(a <= b),
  '>': (a, b) => Number(a > b),
  '>=': (a, b) => Number(a >= b),
  AND: (a, b) => Number(a !== 0 && b !== 0),
  OR: (a, b) => Number(a !== 0 || b !== 0),
};

/** `left op right` for every pairing AWS allows: S S, TS S, S TS, TS TS, and TS[] with S or TS. */
export function arithmetic(op: BinaryOperator, left: MathValue, right: MathValue): MathValue {
  const f = OPERATIONS[op];
  if (left.type === 'S' && right.type === 'S') return { type: 'S', value: f(left.value, right.value) };
  if (left.type === 'TS[]' && right.type === 'TS[]') throw new MetricMathError(`The operator ${op} cannot combine two arrays of time series.`);
  if (left.type === 'TS[]') return { type: 'TS[]', list: left.list.map((s) => combine(f, { type: 'TS', series: s }, right, s.label)) };
  if (right.type === 'TS[]') return { type: 'TS[]', list: right.list.map((s) => combine(f, left, { type: 'TS', series: s }, s.label)) };
  const label = left.type === 'TS' ? left.series.label : right.type === 'TS' ? right.series.label : '';
  return { type: 'TS', series: combine(f, left, right, label) };
}

function combine(f: (a: number, b: number) => number, left: MathValue, right: MathValue, label: string): Series {
  const l = operand(left);
  const r = operand(right);
  const shape = l.series ?? r.series!;
  const points = new Map<number, number>();
  const times = l.series && r.series ? union(l.series, r.series) : shape.points.keys();
  for (const t of times) {
    const value = f(l.at(t), r.at(t));
    if (Number.isFinite(value)) points.set(t, value);
  }
  const period = l.series && r.series ? Math.min(l.series.period, r.series.period) : shape.period;
  return { label, period, points };
}

function operand(v: MathValue): { series?: Series; at(t: number): number } {
  if (v.type === 'S') return { at: () => v.value };
  if (v.type === 'TS') return { series: v.series, at: (t) => v.series.points.get(t) ?? 0 };
  throw new MetricMathError(`An operator cannot take ${describeType(v)}.`);
}
