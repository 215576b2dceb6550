/**
 * Inputs the fuzzer starts from: a value of an operation's input shape that is valid or nearly
 * so, built from the model (required members always, optional ones sometimes, lengths, ranges,
 * patterns and enums respected where a few tries find a fitting value). Members that name a
 * resource get the fixtures' names (state.ts) most of the time, so handlers find something to
 * act on, and the mutations (mutations/) have deep code to reach.
 */
import type { Shape } from '../../src/kit/models/shapes.js';
import { ConstraintCompiler } from '../../src/kit/validation/validate-rules.js';
import type { Prng } from './prng.js';
import { FIXTURES } from './state.js';

const rules = new ConstraintCompiler({});

/** Whether a scalar satisfies every constraint of its shape, by the server's own rules. */
export const satisfies = (shape: Shape, value: unknown): boolean => rules.of(shape).every((r) => r.ok(value));

/** Values for members that name things, by member name; fixtures first, a missing one last. */
const HINTS: Record<string, readonly unknown[]> = {
  FunctionName: [FIXTURES.functionName, `arn:aws:lambda:us-east-1:000000000000:function:${FIXTURES.functionName}`, 'fuzz-missing'],
  Qualifier: [FIXTURES.alias, '1', '$LATEST', 'nope'],
  Name: [FIXTURES.alias, 'fuzz-other'],
  FunctionVersion: ['1', '$LATEST'],
  LayerName: [FIXTURES.layerName, `arn:aws:lambda:us-east-1:000000000000:layer:${FIXTURES.layerName}`, 'fuzz-missing-layer'],
  VersionNumber: [1, 2],
  Role: ['arn:aws:iam::000000000000:role/lambda-role'],
  Handler: ['index.handler'],
  Runtime: ['nodejs20.x', 'python3.12'],
  StatementId: [FIXTURES.statementId, 'fuzz-other'],
  Action: ['lambda:InvokeFunction'],
  Principal: ['*', '000000000000'],
  Resource: [`arn:aws:lambda:us-east-1:000000000000:function:${FIXTURES.functionName}`],
  logGroupName: [FIXTURES.logGroup, 'fuzz-missing-group'],
  logGroupIdentifier: [FIXTURES.logGroup],
  logStreamName: [FIXTURES.logStream, 'fuzz-missing-stream'],
  resourceArn: [`arn:aws:logs:us-east-1:000000000000:log-group:${FIXTURES.logGroup}`, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${FIXTURES.alarm}`],
  Namespace: [FIXTURES.namespace],
  MetricName: [FIXTURES.metric],
  AlarmName: [FIXTURES.alarm, 'fuzz-missing-alarm'],
  Id: ['m1', 'e1'],
  Stat: ['Sum', 'p99'],
  Expression: ['m1 * 2', 'RUNNING_SUM(FILL(m1, REPEAT))', 'SUM(METRICS())', '__proto__(m1)', 'constructor * 2'],
  filterPattern: ['ERROR', '{ $.level = "INFO" }', '{ $.constructor = "*" }', '{ $.n > 0 && $.__proto__ NOT EXISTS }', '?a ?b -c'],
};

const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_DEPTH = 5;

/** A value of `shape`; `name` is the member it is for, when it is one. */
export function generate(shape: Shape, rng: Prng, name?: string, depth = 0): unknown {
  const hint = name !== undefined && Object.hasOwn(HINTS, name) ? HINTS[name]! : undefined;
  switch (shape.type) {
    case 'structure':
      return structure(shape, rng, depth);
    case 'list': {
      const item = shape.member!.shape;
      const count = depth >= MAX_DEPTH ? (shape.min ?? 0) : rng.int(shape.min ?? 0, Math.min(shape.max ?? 2, Math.max(shape.min ?? 0, 2)));
      // A list of names (AlarmNames) takes the names' hints.
      const itemName = name?.endsWith('s') ? name.slice(0, -1) : undefined;
      return Array.from({ length: count }, () => generate(item, rng, itemName, depth + 1));
    }
    case 'map': {
      const count = depth >= MAX_DEPTH ? 0 : rng.int(shape.min ?? 0, Math.min(shape.max ?? 2, 2));
      const out: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) out[scalar(shape.key!.shape, rng) as string] = generate(shape.value!.shape, rng, undefined, depth + 1);
      return out;
    }
    default:
      if (hint && rng.chance(0.85)) {
        const fitting = hint.filter((v) => typeof v === (shape.type === 'string' ? 'string' : 'number'));
        if (fitting.length > 0) return rng.pick(fitting);
      }
      return scalar(shape, rng);
  }
}

function structure(shape: Shape, rng: Prng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const members = Object.values(shape.members).filter((m) => !m.shape.eventstream);
  if (shape.union) {
    const m = rng.pick(members);
    out[m.name] = generate(m.shape, rng, m.name, depth + 1);
    return out;
  }
  for (const m of members) {
    if (shape.required.includes(m.name) || (depth < MAX_DEPTH && rng.chance(0.3))) out[m.name] = generate(m.shape, rng, m.name, depth + 1);
  }
  return out;
}

/** A scalar that fits the shape when a few tries find one, else the last try. */
function scalar(shape: Shape, rng: Prng): unknown {
  let value: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    value = candidate(shape, rng);
    if (satisfies(shape, value)) return value;
  }
  return value;
}

function candidate(shape: Shape, rng: Prng): unknown {
  switch (shape.type) {
    case 'string': {
      if (shape.enum) return rng.pick(shape.enum);
      const length = rng.int(Math.max(shape.min ?? 1, 1), Math.max(Math.min(shape.max ?? 12, 12), shape.min ?? 1));
      return Array.from({ length }, () => rng.pick([...CHARS])).join('');
    }
    case 'integer':
    case 'long':
      return rng.int(shape.min ?? 0, Math.min(shape.max ?? 100, (shape.min ?? 0) + 100));
    case 'float':
    case 'double':
      return Math.round(rng.next() * 1000) / 10;
    case 'boolean':
      return rng.chance(0.5);
    case 'timestamp':
      return new Date(Math.floor((Date.now() - rng.int(0, 3600) * 1000) / 1000) * 1000);
    case 'blob':
      return Buffer.from(Array.from({ length: rng.int(Math.max(shape.min ?? 0, 0), 8) }, () => rng.int(0, 255)));
    default:
      return null;
  }
}
