/**
 * Model validation of operation input, with AWS's messages:
 *   1 validation error detected: Value '100' at 'memorySize' failed to satisfy constraint:
 *   Member must have value greater than or equal to 128
 * Checks `required`, lengths (strings, blobs, lists, maps), numeric ranges, `pattern` (anchored,
 * as AWS matches the whole value) and, given an EnumPolicy, `enum` (the edge gives every service
 * one; see edge/README.md, "Handler values"). Values of the wrong type, and unions without exactly
 * one member, are reported apart, as serialization problems: AWS rejects those while parsing,
 * before validating. Validators are compiled once per shape. At most MAX_PROBLEMS problems are
 * collected, so a request of a million bad items costs one short message. One change is made to
 * the input: a structure member that is null is removed, since null means not set.
 */
import { lowerFirst, ownValue, type Shape } from '../models/shapes.js';
import { ConstraintCompiler, isScalar, typeTest, type EnumPolicy } from './validate-rules.js';
import { describe } from './validate-render.js';

export type { EnumPolicy } from './validate-rules.js';

/** What is wrong with an input: wrong types (a parse error to AWS) and failed constraints. */
export interface Problems {
  type: string[];
  constraint: string[];
}

/** Checks an operation's input; undefined when it is valid. */
export type InputValidator = (input: Record<string, unknown>) => Problems | undefined;

/** Most problems reported for one input; validation stops collecting there. */
export const MAX_PROBLEMS = 100;

type Check = (value: any, path: string, problems: Problems) => void;

const full = (p: Problems) => p.type.length + p.constraint.length >= MAX_PROBLEMS;
const addType = (p: Problems, text: string) => void (full(p) || p.type.push(text));
const addConstraint = (p: Problems, text: string) => void (full(p) || p.constraint.push(text));

/** AWS's message for a list of constraint failures. */
export function validationMessage(errors: string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

/** Compiles validators for the shapes of one model; memoized, cycles allowed. */
export class ValidatorCompiler {
  private readonly checks = new Map<Shape, Check>();
  private readonly rules: ConstraintCompiler;

  /** Without an EnumPolicy, enums are not checked. */
  constructor(enums?: EnumPolicy) {
    this.rules = new ConstraintCompiler(enums);
  }

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
    const own = this.rules.of(shape);
    const typeName = shape.type;
    const scalar: Check = (v, path, out) => {
      if (!isType(v)) return addType(out, `expected ${typeName} at '${path}'`);
      for (const c of own) {
        if (!c.ok(v)) addConstraint(out, `${describe(v, path, shape)} failed to satisfy constraint: ${c.message}`);
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
      let set = 0;
      for (const m of members) {
        if (full(out)) return;
        const value = ownValue(v, m.name);
        const at = path === '' ? m.path : `${path}.${m.path}`;
        if (value === undefined || value === null) {
          if (m.required) addConstraint(out, `Value null at '${at}' failed to satisfy constraint: Member must not be null`);
          // A null member is an absent one, as AWS reads it: handlers test `!== undefined`.
          else if (value === null) delete v[m.name];
        } else {
          set++;
          m.check(value, at, out);
        }
      }
      if (shape.union && set !== 1) addType(out, `expected exactly one member of the union at '${path}', got ${set}`);
    };
  }

  private list(shape: Shape, self: Check): Check {
    const item = shape.member!.shape;
    const itemScalar = isScalar(item);
    const itemCheck = this.check(item);
    // AWS reports scalar element failures once, on the list, listing the element's constraints.
    const itemRules = itemScalar ? this.rules.of(item) : [];
    const itemType = typeTest(item);
    const summary = `Member must satisfy constraint: [${itemRules.map((c) => c.message).join(', ')}]`;
    return (v, path, out) => {
      const before = out.type.length;
      self(v, path, out);
      if (out.type.length > before) return;
      let failed = false;
      for (let i = 0; i < v.length && !full(out); i++) {
        const x = v[i];
        // A null item is no value of the item's type (the models' lists are dense).
        if (x === null || x === undefined) addType(out, `expected ${item.type} at '${path}.${i + 1}.member'`);
        else if (!itemScalar) itemCheck(x, `${path}.${i + 1}.member`, out);
        else if (!itemType(x)) addType(out, `expected ${item.type} at '${path}.${i + 1}.member'`);
        else if (!failed && itemRules.some((c) => !c.ok(x))) failed = true;
      }
      if (failed) addConstraint(out, `${describe(v, path, shape)} failed to satisfy constraint: ${summary}`);
    };
  }

  private map(shape: Shape, self: Check): Check {
    const keyRules = this.rules.of(shape.key!.shape);
    const valueShape = shape.value!.shape;
    const valueScalar = isScalar(valueShape);
    const valueRules = valueScalar ? this.rules.of(valueShape) : [];
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
        if (full(out)) break;
        if (!badKey && keyRules.some((c) => !c.ok(key))) badKey = true;
        const x = v[key];
        if (x === null || x === undefined) addType(out, `expected ${valueShape.type} at '${path}.${key}'`);
        else if (!valueScalar) valueCheck(x, `${path}.${key}`, out);
        else if (!valueType(x)) addType(out, `expected ${valueShape.type} at '${path}.${key}'`);
        else if (!badValue && valueRules.some((c) => !c.ok(x))) badValue = true;
      }
      if (badKey) addConstraint(out, `${describe(v, path, shape)} failed to satisfy constraint: ${keysMessage}`);
      if (badValue) addConstraint(out, `${describe(v, path, shape)} failed to satisfy constraint: ${valuesMessage}`);
    };
  }
}
