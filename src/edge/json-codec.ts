/**
 * Converts between JSON values and handler values for a shape: blobs are base64 in JSON and
 * Buffers for handlers, timestamps are epoch seconds (or the model's format) in JSON and Dates for
 * handlers, and members may carry a different JSON key (`locationName`). Most shapes need none of
 * this, so the compiled converter for them is `null` and the parsed JSON is used as it is: no
 * copy on the hot path. Members the model does not know pass through unchanged.
 */
import type { Member, Shape } from '../kit/models/shapes.js';
import { decodeBase64, readTimestamp } from './scalar-text.js';
import { formatTimestamp, parseTimestamp, type TimestampFormat } from './timestamp.js';

/** A compiled conversion; `null` means the value is used as it is. */
export type Converter = ((value: any) => any) | null;

/** Compiles readers (JSON → handler) and writers (handler → JSON) per shape, memoized. */
export class JsonCodec {
  private readonly readers = new Map<Shape, (v: any) => any>();
  private readonly writers = new Map<Shape, (v: any) => any>();
  private readonly needs = new Map<Shape, boolean>();

  constructor(private readonly defaultTimestampFormat: TimestampFormat = 'unixTimestamp') {}

  /** JSON → handler value for `shape`. */
  reader(shape: Shape): Converter {
    return this.compile(shape, this.readers, (s) => this.buildReader(s));
  }

  /** Handler value → JSON-ready value for `shape`. */
  writer(shape: Shape): Converter {
    return this.compile(shape, this.writers, (s) => this.buildWriter(s));
  }

  private compile(shape: Shape, memo: Map<Shape, (v: any) => any>, build: (s: Shape) => (v: any) => any): Converter {
    if (!this.needsConversion(shape)) return null;
    const done = memo.get(shape);
    if (done) return done;
    // A recursive shape reaches itself while being built: hand out a forwarder until it is done.
    let impl: (v: any) => any = () => {
      throw new Error('converter used before it was built');
    };
    memo.set(shape, (v) => impl(v));
    impl = build(shape);
    memo.set(shape, impl);
    return impl;
  }

  private buildReader(shape: Shape): (v: any) => any {
    switch (shape.type) {
      case 'blob':
        // Text that is not base64 stays text, which the validator reports as a wrong type.
        return (v) => (typeof v === 'string' ? (decodeBase64(v) ?? v) : v);
      case 'timestamp':
        // Text must be one of the wire's forms; anything unreadable stays as sent, for the validator to refuse.
        return (v) => (typeof v === 'string' ? readTimestamp(v) : parseTimestamp(v)) ?? v;
      case 'list': {
        const item = this.reader(shape.member!.shape)!;
        return (v) => (Array.isArray(v) ? v.map((x) => (x == null ? x : item(x))) : v);
      }
      case 'map': {
        const value = this.reader(shape.value!.shape)!;
        return (v) => mapValues(v, value);
      }
      default:
        return this.structure(shape, 'read');
    }
  }

  private buildWriter(shape: Shape): (v: any) => any {
    switch (shape.type) {
      case 'blob':
        return (v) =>
          v instanceof Uint8Array
            ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
            : typeof v === 'string'
              ? Buffer.from(v).toString('base64')
              : v;
      case 'timestamp': {
        const format = (shape.timestampFormat ?? this.defaultTimestampFormat) as TimestampFormat;
        return (v) => formatTimestamp(v, format) ?? v;
      }
      case 'list': {
        const item = this.writer(shape.member!.shape)!;
        return (v) => (Array.isArray(v) ? v.map((x) => (x == null ? x : item(x))) : v);
      }
      case 'map': {
        const value = this.writer(shape.value!.shape)!;
        return (v) => mapValues(v, value);
      }
      default:
        return this.structure(shape, 'write');
    }
  }

  /** Structures: rename keys and convert the members that need it; copy the rest. */
  private structure(shape: Shape, direction: 'read' | 'write'): (v: any) => any {
    // key on the incoming side → [key on the outgoing side, converter]
    const plan = new Map<string, [string, (v: any) => any]>();
    for (const member of Object.values(shape.members)) {
      const jsonKey = jsonKeyOf(member);
      const convert = direction === 'read' ? this.memberReader(member) : this.memberWriter(member);
      if (!convert && jsonKey === member.name) continue;
      const from = direction === 'read' ? jsonKey : member.name;
      const to = direction === 'read' ? member.name : jsonKey;
      plan.set(from, [to, convert ?? identity]);
    }
    return (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        if (key === '__proto__') continue;
        const value = v[key];
        const step = plan.get(key);
        if (!step) out[key] = value;
        else out[step[0]] = value == null ? value : step[1](value);
      }
      return out;
    };
  }

  private memberReader(member: Member): Converter {
    return this.reader(member.shape);
  }

  private memberWriter(member: Member): Converter {
    // A member-level timestampFormat overrides the shape's.
    if (member.shape.type === 'timestamp' && member.timestampFormat) {
      const format = member.timestampFormat as TimestampFormat;
      return (v) => formatTimestamp(v, format) ?? v;
    }
    return this.writer(member.shape);
  }

  /** Whether any value of the shape can need converting (blob, timestamp, renamed key) anywhere below it. */
  needsConversion(shape: Shape): boolean {
    const known = this.needs.get(shape);
    if (known !== undefined) return known;
    // A fresh walk per asked shape keeps the answer exact on cyclic graphs.
    const result = reaches(shape, new Set());
    this.needs.set(shape, result);
    return result;
  }
}

function reaches(shape: Shape, seen: Set<Shape>): boolean {
  if (seen.has(shape)) return false;
  seen.add(shape);
  switch (shape.type) {
    case 'blob':
    case 'timestamp':
      return true;
    case 'list':
      return reaches(shape.member!.shape, seen);
    case 'map':
      return reaches(shape.value!.shape, seen);
    case 'structure':
      for (const member of Object.values(shape.members)) {
        if (jsonKeyOf(member) !== member.name || member.timestampFormat) return true;
        if (reaches(member.shape, seen)) return true;
      }
      return false;
    default:
      return false;
  }
}

/** The JSON key of a body member: its `locationName` when the model renames it. */
export const jsonKeyOf = (member: Member): string =>
  member.location === undefined && member.locationName ? member.locationName : member.name;

const identity = (v: unknown) => v;

function mapValues(v: any, convert: (v: any) => any): any {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    // Assigning `__proto__` would set the copy's prototype instead of a key.
    if (key === '__proto__') continue;
    const value = v[key];
    out[key] = value == null ? value : convert(value);
  }
  return out;
}
