/**
 * Reads a `query`-protocol input (form-encoded `key=value` pairs) into a handler value, driven by
 * the model: structure members by `locationName ?? name`, joined with dots; lists as
 * `Name.member.N` (or `Name.N` when flattened, with the item's `locationName` replacing `member`);
 * maps as `Name.entry.N.key` / `.value` (or `Name.N.key` when flattened); an empty value for a
 * list key is an empty list. Indexes start at 1. Keys the model does not know are ignored, as AWS
 * does (`Action`, `Version`).
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#query-key-resolution
 */
import { INVALID, readText } from '../../scalar-text.js';
import type { Member, Shape } from '../../../kit/models/shapes.js';

/** Longest key read; longer ones are unknown keys, ignored like the others. */
const MAX_KEY_LENGTH = 1024;

/** A value that could not be read: the key and what was expected, for the serialization error. */
export class QueryValueError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
  ) {
    super(`Invalid value for parameter ${key}: expected ${expected}.`);
  }
}

/** The pairs of one request, indexed so that "is anything below this key" is one lookup. */
export class QueryParams {
  private readonly values = new Map<string, string>();
  private readonly prefixes = new Set<string>();

  constructor(pairs: Iterable<[string, string]>) {
    for (const [key, value] of pairs) {
      // No model key is this long; indexing the prefixes of one would cost its length squared.
      if (key.length > MAX_KEY_LENGTH) continue;
      // The first value of a repeated key wins, as AWS's servers read them.
      if (!this.values.has(key)) this.values.set(key, value);
      for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) this.prefixes.add(key.slice(0, dot));
    }
  }

  /** The value sent for exactly `key`. */
  get(key: string): string | undefined {
    return this.values.get(key);
  }

  /** Whether `key` was sent, or any key below it (`key.…`). */
  has(key: string): boolean {
    return this.values.has(key) || this.prefixes.has(key);
  }
}

/** The input structure `shape` read from `params`; throws QueryValueError for unreadable values. */
export function readQueryInput(shape: Shape, params: QueryParams): Record<string, unknown> {
  return readStructure(shape, params, '');
}

const join = (prefix: string, name: string) => (prefix === '' ? name : `${prefix}.${name}`);

function readStructure(shape: Shape, params: QueryParams, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of Object.values(shape.members)) {
    const key = join(prefix, member.locationName ?? member.name);
    if (!params.has(key)) continue;
    const value = readMember(member, params, key);
    if (value !== undefined) out[member.name] = value;
  }
  return out;
}

function readMember(member: Member, params: QueryParams, key: string): unknown {
  const shape = member.shape;
  switch (shape.type) {
    case 'structure':
      return readStructure(shape, params, key);
    case 'list':
      return readList(member, params, key);
    case 'map':
      return readMap(member, params, key);
    default: {
      const text = params.get(key);
      if (text === undefined) return undefined;
      const value = readText(member, text);
      if (value === INVALID) throw new QueryValueError(key, shape.type);
      return value;
    }
  }
}

function readList(member: Member, params: QueryParams, key: string): unknown[] {
  const shape = member.shape;
  const item = shape.member!;
  const flattened = shape.flattened || member.flattened;
  const base = flattened ? key : `${key}.${item.locationName ?? 'member'}`;
  const out: unknown[] = [];
  for (let i = 1; params.has(`${base}.${i}`); i++) out.push(readMember(item, params, `${base}.${i}`));
  return out;
}

function readMap(member: Member, params: QueryParams, key: string): Record<string, unknown> {
  const shape = member.shape;
  const flattened = shape.flattened || member.flattened;
  const base = flattened ? key : `${key}.entry`;
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const out: Record<string, unknown> = {};
  for (let i = 1; params.has(`${base}.${i}`); i++) {
    const k = params.get(`${base}.${i}.${keyName}`);
    // `__proto__` as a key would set the result's prototype instead.
    if (k === undefined || k === '__proto__') continue;
    out[k] = readMember(shape.value!, params, `${base}.${i}.${valueName}`);
  }
  return out;
}
