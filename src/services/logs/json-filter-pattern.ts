/**
 * The JSON form of CloudWatch Logs filter patterns: `{ SELECTOR OP VALUE && … }`. Parsed by a
 * small recursive-descent parser into a predicate over the parsed message.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
 */
import { LogsErrors } from './logs-errors.js';

type Predicate = (doc: unknown) => boolean;
type Token = { kind: 'sel' | 'op' | 'str' | 'num' | 'word' | '(' | ')' | '&&' | '||'; text: string };

const invalid = (why: string) => LogsErrors.invalidParameter(`Invalid filter pattern: ${why}`);

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\$(?:\.[A-Za-z0-9_$@-]+|\[\d+\])+|\$)|(&&|\|\|)|(!=|<=|>=|=|<|>)|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])|([()])|([^\s()&|=!<>"]+))/y;
  let at = 0;
  while (at < body.length) {
    if (/^\s*$/.test(body.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(body);
    if (!m) throw invalid(`unexpected text at "${body.slice(at, at + 20)}"`);
    at = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'sel', text: m[1] });
    else if (m[2]) tokens.push({ kind: m[2] as '&&' | '||', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'op', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'str', text: m[4].replace(/\\(.)/g, '$1') });
    else if (m[5]) tokens.push({ kind: 'num', text: m[5] });
    else if (m[6]) tokens.push({ kind: m[6] as '(' | ')', text: m[6] });
    else tokens.push({ kind: 'word', text: m[7]! });
  }
  return tokens;
}

/** Follows `$.a.b[0]` into a parsed document; undefined when absent. */
function select(path: string): (doc: unknown) => unknown {
  const steps = [...path.matchAll(/\.([A-Za-z0-9_$@-]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  return (doc) => {
    let cur: any = doc;
    for (const step of steps) {
      // Own members only: `$.constructor` is a field of the message, not Object's constructor.
      if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, step)) return undefined;
      cur = cur[step as any];
    }
    return cur;
  };
}

/**
 * `*` matches any run of characters. Matched by finding the pieces between stars in order, not
 * by a RegExp: `^.*a.*a.*a…$` backtracks exponentially on a long message that almost matches.
 */
export function wildcard(pattern: string): (value: string) => boolean {
  if (!pattern.includes('*')) return (v) => v === pattern;
  const pieces = pattern.split('*');
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  return (v) => {
    if (v.length < head.length + tail.length || !v.startsWith(head) || !v.endsWith(tail)) return false;
    let at = head.length;
    const stop = v.length - tail.length;
    for (const piece of middle) {
      const found = v.indexOf(piece, at);
      if (found < 0 || found + piece.length > stop) return false;
      at = found + piece.length;
    }
    return true;
  };
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const p = this.or();
    if (this.i < this.tokens.length) throw invalid(`unexpected "${this.tokens[this.i]!.text}"`);
    return p;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private take(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw invalid('the pattern ends too early');
    return t;
  }

  private or(): Predicate {
    let left = this.and();
    while (this.peek()?.kind === '||') {
      this.i++;
      const a = left;
      const b = this.and();
      left = (d) => a(d) || b(d);
    }
    return left;
  }

  private and(): Predicate {
    let left = this.primary();
    while (this.peek()?.kind === '&&') {
      this.i++;
      const a = left;
      const b = this.primary();
      left = (d) => a(d) && b(d);
    }
    return left;
  }

  private primary(): Predicate {
    const t = this.take();
    if (t.kind === '(') {
      const inner = this.or();
      if (this.take().kind !== ')') throw invalid('missing ")"');
      return inner;
    }
    if (t.kind !== 'sel') throw invalid(`expected a selector like $.field, got "${t.text}"`);
    return this.comparison(select(t.text));
  }

  private comparison(get: (doc: unknown) => unknown): Predicate {
    const t = this.take();
    if (t.kind === 'word' && t.text.toUpperCase() === 'IS') {
      const what = this.take().text.toUpperCase();
      if (what === 'TRUE') return (d) => get(d) === true;
      if (what === 'FALSE') return (d) => get(d) === false;
      if (what === 'NULL') return (d) => get(d) === null;
      throw invalid(`IS must be followed by TRUE, FALSE or NULL, got "${what}"`);
    }
    if (t.kind === 'word' && t.text.toUpperCase() === 'NOT') {
      if (this.take().text.toUpperCase() !== 'EXISTS') throw invalid('NOT must be followed by EXISTS');
      return (d) => get(d) === undefined;
    }
    if (t.kind !== 'op') throw invalid(`expected a comparison after the selector, got "${t.text}"`);
    const value = this.take();
    if (value.kind === 'num') {
      const n = Number(value.text);
      const cmp = numeric(t.text);
      return (d) => {
        const v = get(d);
        return typeof v === 'number' && cmp(v, n);
      };
    }
    if (value.kind !== 'str' && value.kind !== 'word') throw invalid(`expected a value after "${t.text}"`);
    if (t.text !== '=' && t.text !== '!=') throw invalid(`strings compare with = or != only, not "${t.text}"`);
    const matches = wildcard(value.text);
    const want = t.text === '=';
    return (d) => {
      const v = get(d);
      if (v === undefined || v === null || typeof v === 'object') return !want && v !== undefined;
      return matches(String(v)) === want;
    };
  }
}

function numeric(op: string): (a: number, b: number) => boolean {
  switch (op) {
    case '=':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    default:
      return (a, b) => a >= b;
  }
}

export function compileJsonPattern(source: string): (message: string) => boolean {
  if (!source.endsWith('}')) throw invalid('a JSON pattern must end with "}"');
  const predicate = new Parser(tokenize(source.slice(1, -1))).parse();
  return (message) => {
    const trimmed = message.trimStart();
    if (!trimmed.startsWith('{')) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return false;
    }
    return predicate(doc);
  };
}
