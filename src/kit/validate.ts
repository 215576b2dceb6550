/**
 * Model validation of operation input, with AWS's messages:
 *   1 validation error detected: Value '100' at 'memorySize' failed to satisfy constraint:
 *   Member must have value greater than or equal to 128
 * Checks `required`, lengths (strings, blobs, lists, maps), numeric ranges and `pattern`
 * (anchored, as AWS matches the whole value). Enums are left to the services, which answer them
 * with their own errors. Values of the wrong type are reported apart, as serialization problems:
 * AWS rejects those while parsing, before validating. Validators are compiled once per shape.
 */
import { isNumeric, lowerFirst, type Shape } from './shapes.js';

/** What is wrong with an input: wrong types (a parse error to AWS) and failed constraints. */
export interface Problems {
  type: string[];
  constraint: string[];
}

/** Checks an operation's input; undefined when it is valid. */
export type InputValidator = (input: Record<string, unknown>) => Problems | undefined;

type Check = (value: any, path: string, problems: Problems) => void;

/** A constraint on a scalar (or on a list or map's size): the test and AWS's wording. */
interface Constraint {
  ok: (value: any) => boolean;
  message: string;
}

/** AWS's message for a list of constraint failures. */
export function validationMessage(errors: string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

/** Compiles validators for the shapes of one model; memoized, cycles allowed. */
export class ValidatorCompiler {
  private readonly checks = new Map<Shape, Check>();
  private readonly patterns = new Map<string, RegExp | null>();

  /** The validator of an operation's input structure. */
  input(shape: Shape): InputValidator {
    const check = this.check(shape);
    return (input) => {
      const problems: Problems = { type: [], constraint: [] };
      check(input, '', problems);
      return problems.type.length > 0 || problems.constraint.length > 0 ? problems : undefined;
    };
  }

  private check(shape: Shape): Check {
    const done = this.checks.get(shape);
    if (done) return done;
    let impl: Check = () => {};
    this.checks.set(shape, (v, p, out) => impl(v, p, out));
    impl = this.build(shape);
    this.checks.set(shape, impl);
    return impl;
  }

  private build(shape: Shape): Check {
    const isType = typeTest(shape);
    const own = this.constraints(shape);
    const typeName = shape.type;
    const scalar: Check = (v, path, out) => {
      if (!isType(v)) {
        out.type.push(`expected ${typeName} at '${path}'`);
        return;
      }
      for (const c of own) {
        if (!c.ok(v)) out.constraint.push(`${describe(v, path, shape)} failed to satisfy constraint: ${c.message}`);
      }
    };
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, scalar);
      case 'list':
        return this.list(shape, scalar);
      case 'map':
        return this.map(shape, scalar);
      default:
        return scalar;
    }
  }

  private structure(shape: Shape, self: Check): Check {
    const members = Object.values(shape.members).map((m) => ({
      name: m.name,
      path: lowerFirst(m.name),
      required: shape.required.includes(m.name),
      check: this.check(m.shape),
    }));
    return (v, path, out) => {
      const before = out.type.length;
      self(v, path, out);
      if (out.type.length > before) return;
      for (const m of members) {
        const value = v[m.name];
        const at = path === '' ? m.path : `${path}.${m.path}`;
        if (value === undefined || value === null) {
          if (m.required) out.constraint.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
        } else m.check(value, at, out);
      }
    };
  }

  private list(shape: Shape, self: Check): Check {
    const item = shape.member!.shape;
    const itemScalar = isScalar(item);
    const itemCheck = this.check(item);
    // AWS reports scalar element failures once, on the list, listing the element's constraints.
    const itemRules = itemScalar ? this.constraints(item) : [];
    const itemType = typeTest(item);
    const summary = `Member must satisfy constraint: [${itemRules.map((c) => c.message).join(', ')}]`;
    return (v, path, out) => {
      const before = out.type.length;
      self(v, path, out);
      if (out.type.length > before) return;
      let failed = false;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || x === undefined) continue;
        if (!itemScalar) itemCheck(x, `${path}.${i + 1}.member`, out);
        else if (!itemType(x)) out.type.push(`expected ${item.type} at '${path}.${i + 1}.member'`);
        else if (!failed && itemRules.some((c) => !c.ok(x))) failed = true;
      }
      if (failed) out.constraint.push(`${describe(v, path, shape)} failed to satisfy constraint: ${summary}`);
    };
  }

  private map(shape: Shape, self: Check): Check {
    const keyRules = this.constraints(shape.key!.shape);
    const valueShape = shape.value!.shape;
    const valueScalar = isScalar(valueShape);
    const valueRules = valueScalar ? this.constraints(valueShape) : [];
    const valueType = typeTest(valueShape);
    const valueCheck = this.check(valueShape);
    const keysMessage = `Map keys must satisfy constraint: [${keyRules.map((c) => c.message).join(', ')}]`;
    const valuesMessage = `Map value must satisfy constraint: [${valueRules.map((c) => c.message).join(', ')}]`;
    return (v, path, out) => {
      const before = out.type.length;
      self(v, path, out);
      if (out.type.length > before) return;
      let badKey = false;
      let badValue = false;
      for (const key of Object.keys(v)) {
        if (!badKey && keyRules.some((c) => !c.ok(key))) badKey = true;
        const x = v[key];
        if (x === null || x === undefined) continue;
        if (!valueScalar) valueCheck(x, `${path}.${key}`, out);
        else if (!valueType(x)) out.type.push(`expected ${valueShape.type} at '${path}.${key}'`);
        else if (!badValue && valueRules.some((c) => !c.ok(x))) badValue = true;
      }
      const described = describe(v, path, shape);
      if (badKey) out.constraint.push(`${described} failed to satisfy constraint: ${keysMessage}`);
      if (badValue) out.constraint.push(`${described} failed to satisfy constraint: ${valuesMessage}`);
    };
  }

  /** The shape's own constraints, in AWS's order: max, min, pattern. */
  private constraints(shape: Shape): Constraint[] {
    const rules: Constraint[] = [];
    const { min, max } = shape;
    if (isNumeric(shape.type)) {
      if (max !== undefined) rules.push({ ok: (v) => v <= max, message: `Member must have value less than or equal to ${max}` });
      if (min !== undefined) rules.push({ ok: (v) => v >= min, message: `Member must have value greater than or equal to ${min}` });
      return rules;
    }
    const size = sizeOf(shape);
    if (size) {
      if (max !== undefined) rules.push({ ok: (v) => size(v) <= max, message: `Member must have length less than or equal to ${max}` });
      if (min !== undefined) rules.push({ ok: (v) => size(v) >= min, message: `Member must have length greater than or equal to ${min}` });
    }
    if (shape.type === 'string' && shape.pattern !== undefined) {
      const re = this.pattern(shape.pattern);
      if (re) rules.push({ ok: (v) => re.test(v), message: `Member must satisfy regular expression pattern: ${shape.pattern}` });
    }
    return rules;
  }

  /** AWS matches patterns against the whole value; a pattern JS cannot compile is skipped. */
  private pattern(source: string): RegExp | null {
    if (this.patterns.has(source)) return this.patterns.get(source)!;
    let re: RegExp | null = null;
    for (const flags of source.includes('\\p{') ? ['u', ''] : ['', 'u']) {
      try {
        re = new RegExp(`^(?:${source})$`, flags);
        break;
      } catch {
        // try the other flags, else give the pattern up
      }
    }
    this.patterns.set(source, re);
    return re;
  }
}

function sizeOf(shape: Shape): ((v: any) => number) | undefined {
  switch (shape.type) {
    case 'string':
    case 'list':
      return (v) => v.length;
    case 'blob':
      return (v) => v.byteLength;
    case 'map':
      return (v) => Object.keys(v).length;
    default:
      return undefined;
  }
}

const isScalar = (shape: Shape) => shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);

function typeTest(shape: Shape): (v: any) => boolean {
  switch (shape.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'integer':
    case 'long':
      return (v) => Number.isInteger(v);
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return (v) => typeof v === 'number';
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'blob':
      return (v) => v instanceof Uint8Array;
    case 'timestamp':
      return (v) => v instanceof Date && !Number.isNaN(v.getTime());
    case 'list':
      return Array.isArray;
    case 'map':
    case 'structure':
      return isObject;
    default:
      return () => true;
  }
}

/** `Value '<v>' at '<path>'`, or `Value at '<path>'` for sensitive shapes, as AWS writes it. */
function describe(value: unknown, path: string, shape: Shape): string {
  return shape.sensitive ? `Value at '${path}'` : `Value '${render(value)}' at '${path}'`;
}

/** A value as AWS's (Java) services print it in validation messages. */
function render(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${render(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
