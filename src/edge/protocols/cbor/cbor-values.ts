/**
 * CBOR ⇄ handler values for the rpc-v2-cbor protocol. CBOR carries most model types natively
 * (maps, arrays, text, numbers, booleans, byte strings), so only two need care: timestamps travel
 * as tag 1 (epoch seconds, possibly fractional) and are Dates for handlers; blobs are byte strings
 * and Buffers for handlers. Handler outputs may give timestamps as Dates, epoch seconds or ISO
 * text (as for the JSON protocols); they are written as tag 1 whatever form they came in.
 * https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html#shape-serialization
 */
import { Token, Type, decode, encode, type TagDecoder } from 'cborg';
import { memberOf, type Shape } from '../../../kit/models/shapes.js';
import { parseTimestamp } from '../../timestamp.js';

const TAGS: Record<number, TagDecoder> = {
  // Tag 1: epoch-based date/time.
  1: (content) => {
    const seconds = content();
    return typeof seconds === 'number' ? new Date(seconds * 1000) : seconds;
  },
};

/** Decodes a CBOR body (cborg: throws on malformed input or trailing bytes). */
export function decodeCbor(body: Uint8Array): unknown {
  return decode(body, { tags: TAGS as never, allowUndefined: true, coerceUndefinedToNull: true });
}

/** Encodes a handler-shaped value (already passed through `cborOutput`). */
export function encodeCbor(value: unknown): Uint8Array {
  return encode(value, {
    typeEncoders: { Date: (d: Date) => [new Token(Type.tag, 1), new Token(Type.float, d.getTime() / 1000)] },
    ignoreUndefinedProperties: true,
  });
}

/** Decoded CBOR → handler value for `shape`: byte strings become Buffers, epoch numbers Dates. */
export function cborInput(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
    case 'timestamp':
      return typeof value === 'number' ? new Date(value * 1000) : value;
    case 'list':
      return Array.isArray(value) ? value.map((v) => cborInput(shape.member!.shape, v)) : value;
    case 'map':
      return mapObject(value, (v) => cborInput(shape.value!.shape, v));
    case 'structure':
      return structure(shape, value, cborInput);
    default:
      return value;
  }
}

/** Handler value → CBOR-ready value for `shape`: timestamps become Dates, nulls are left out. */
export function cborOutput(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'timestamp':
      return parseTimestamp(value) ?? value;
    case 'blob':
      return value instanceof Uint8Array ? value : Buffer.from(String(value));
    case 'list':
      return Array.isArray(value) ? value.filter((v) => v != null).map((v) => cborOutput(shape.member!.shape, v)) : value;
    case 'map':
      return mapObject(value, (v) => cborOutput(shape.value!.shape, v));
    case 'structure':
      return structure(shape, value, cborOutput);
    default:
      return value;
  }
}

function structure(shape: Shape, value: unknown, convert: (s: Shape, v: unknown) => unknown): unknown {
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '__proto__') continue;
    const member = memberOf(shape, key);
    const converted = member ? convert(member.shape, v) : v;
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function mapObject(value: unknown, convert: (v: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '__proto__') continue;
    const converted = convert(v);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}
