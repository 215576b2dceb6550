/**
 * The model's constraints on one shape as tests with AWS's wording, in the order AWS lists them
 * (max, min, pattern, enum), and the type test every value passes first. Patterns are anchored
 * (AWS matches the whole value) and compiled once per source; one JS cannot compile is skipped.
 */
import { isNumeric, type Shape } from '../models/shapes.js';

/** A constraint on a scalar (or on a list or map's size): the test and AWS's wording. */
export interface Constraint {
  ok: (value: any) => boolean;
  message: string;
}

/** Which enums are checked: none without a policy; with one, all but the shapes named in `except`. */
export interface EnumPolicy {
  /** Enum shapes (model names) left to the operation's handler. */
  except?: ReadonlySet<string>;
}

/** Builds constraint lists, caching compiled patterns. */
export class ConstraintCompiler {
  private readonly patterns = new Map<string, RegExp | null>();

  constructor(private readonly enums?: EnumPolicy) {}

  /** The shape's own constraints, in AWS's order: max, min, pattern, enum. */
  of(shape: Shape): Constraint[] {
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
    if (shape.type === 'string' && shape.enum && this.checksEnum(shape)) {
      const allowed = new Set(shape.enum);
      rules.push({ ok: (v) => allowed.has(v), message: `Member must satisfy enum value set: [${shape.enum.join(', ')}]` });
    }
    return rules;
  }

  private checksEnum(shape: Shape): boolean {
    return this.enums !== undefined && !(shape.name !== undefined && this.enums.except?.has(shape.name));
  }

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

/** Lists, maps and structures hold other values; everything else is a scalar. */
export const isScalar = (shape: Shape): boolean => shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);

/** Whether a value is of the shape's type (a wrong type is a parse error to AWS, not a constraint). */
export function typeTest(shape: Shape): (v: any) => boolean {
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
