/**
 * The metric math language of GetMetricData's `Expression`, parsed into a small tree. Ids of
 * other queries start with a lowercase letter; functions and keywords are uppercase; strings are
 * double-quoted (the console's curly quotes too). Precedence, lowest first: OR / ||, AND / &&,
 * comparisons, + -, * /, unary -, ^ (right-associative). Pure: no I/O, no evaluation.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */

/** A parsed expression. */
export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  /** Another query's Id. */
  | { kind: 'id'; name: string }
  /** An uppercase word used as an argument (REPEAT, LINEAR, ASC, ...). */
  | { kind: 'keyword'; name: string }
  | { kind: 'call'; name: string; args: MathNode[] }
  | { kind: 'array'; items: MathNode[] }
  | { kind: 'negate'; operand: MathNode }
  | { kind: 'binary'; op: BinaryOperator; left: MathNode; right: MathNode };

export type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** A problem with the expression the caller wrote; its message goes back in a ValidationError. */
export class MetricMathError extends Error {}

type Token =
  | { type: 'number'; value: number; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'word'; value: string; at: number }
  | { type: 'op'; value: string; at: number }
  | { type: 'end'; at: number };

/** Deepest nesting of parentheses, calls, arrays and signs: deeper would exhaust the stack, not help anyone. */
export const MAX_NESTING = 64;

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '^', '<', '>', '(', ')', '[', ']', ','];
const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ type: 'word', value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    if (ch === '"' || ch === '\u201c') {
      const close = ch === '"' ? '"' : '\u201d';
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new MetricMathError(`Unterminated string at position ${i + 1}.`);
      tokens.push({ type: 'string', value: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw new MetricMathError(`Unexpected character '${ch}' at position ${i + 1}.`);
    tokens.push({ type: 'op', value: op === '&&' ? 'AND' : op === '||' ? 'OR' : op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

/** Parses `text`, or throws MetricMathError saying where it went wrong. */
export function parseMetricMath(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  /** Runs one nested level of the grammar, refusing more than MAX_NESTING. */
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_NESTING) throw new MetricMathError(`The expression is nested more than ${MAX_NESTING} levels deep.`);
    const result = f();
    depth--;
    return result;
  };
  const peek = () => tokens[pos]!;
  const isOp = (value: string) => {
    const t = peek();
    return (t.type === 'op' && t.value === value) || (t.type === 'word' && (value === 'AND' || value === 'OR') && t.value === value);
  };
  const describe = (t: Token) => (t.type === 'end' ? 'end of expression' : `'${t.type === 'string' ? `"${t.value}"` : t.value}' at position ${t.at + 1}`);
  const expect = (value: string) => {
    if (!isOp(value)) throw new MetricMathError(`Expected '${value}' but found ${describe(peek())}.`);
    pos++;
  };

  function binaryLevel(operators: BinaryOperator[], next: () => MathNode, once = false): () => MathNode {
    return () => {
      let left = next();
      for (;;) {
        const op = operators.find(isOp);
        if (!op) return left;
        pos++;
        left = { kind: 'binary', op, left, right: next() };
        if (once) return left;
      }
    };
  }

  function unary(): MathNode {
    if (isOp('-')) {
      pos++;
      return { kind: 'negate', operand: nested(unary) };
    }
    if (isOp('+')) {
      pos++;
      return nested(unary);
    }
    return power();
  }

  function power(): MathNode {
    const base = primary();
    if (!isOp('^')) return base;
    pos++;
    return { kind: 'binary', op: '^', left: base, right: nested(unary) };
  }

  function list(close: string): MathNode[] {
    const items: MathNode[] = [];
    if (isOp(close)) {
      pos++;
      return items;
    }
    for (;;) {
      items.push(or());
      if (isOp(',')) {
        pos++;
        continue;
      }
      expect(close);
      return items;
    }
  }

  function primary(): MathNode {
    const t = peek();
    pos++;
    if (t.type === 'number') return { kind: 'number', value: t.value };
    if (t.type === 'string') return { kind: 'string', value: t.value };
    if (t.type === 'word') {
      if (/^[a-z]/.test(t.value)) return { kind: 'id', name: t.value };
      if (isOp('(')) {
        pos++;
        return { kind: 'call', name: t.value, args: nested(() => list(')')) };
      }
      return { kind: 'keyword', name: t.value };
    }
    if (t.type === 'op' && t.value === '(') {
      const inner = nested(or);
      expect(')');
      return inner;
    }
    if (t.type === 'op' && t.value === '[') return { kind: 'array', items: nested(() => list(']')) };
    throw new MetricMathError(`Unexpected ${describe(t)}.`);
  }

  const multiplicative = binaryLevel(['*', '/'], unary);
  const additive = binaryLevel(['+', '-'], multiplicative);
  const comparison = binaryLevel(['==', '!=', '<=', '>=', '<', '>'], additive, true);
  const and = binaryLevel(['AND'], comparison);
  const or = binaryLevel(['OR'], and);

  if (peek().type === 'end') throw new MetricMathError('The expression is empty.');
  const tree = or();
  if (peek().type !== 'end') throw new MetricMathError(`Unexpected ${describe(peek())}.`);
  return tree;
}

/** The query Ids an expression refers to (METRICS() is resolved by the evaluator, not here). */
export function referencedIds(node: MathNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'id':
      into.add(node.name);
      break;
    case 'call':
      for (const a of node.args) referencedIds(a, into);
      break;
    case 'array':
      for (const a of node.items) referencedIds(a, into);
      break;
    case 'negate':
      referencedIds(node.operand, into);
      break;
    case 'binary':
      referencedIds(node.left, into);
      referencedIds(node.right, into);
      break;
    default:
      break;
  }
  return into;
}

/** How many nodes a tree has: each may compute a value per period, so it sizes a request's math. */
export function nodeCount(node: MathNode): number {
  switch (node.kind) {
    case 'call':
      return 1 + node.args.reduce((n, a) => n + nodeCount(a), 0);
    case 'array':
      return 1 + node.items.reduce((n, a) => n + nodeCount(a), 0);
    case 'negate':
      return 1 + nodeCount(node.operand);
    case 'binary':
      return 1 + nodeCount(node.left) + nodeCount(node.right);
    default:
      return 1;
  }
}
