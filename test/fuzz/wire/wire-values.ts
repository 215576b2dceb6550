/**
 * Values as the wire writes them: percent-encoding as SigV4 does it, JSON values (timestamps as
 * epoch seconds, blobs as base64), and text for labels, query values and headers.
 */
import { memberOf, type Shape } from '../../../src/kit/models/shapes.js';

/** Percent-encoding as SigV4 and the SDKs do it (RFC 3986 unreserved characters kept). */
export const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Sets a key as an own property, `__proto__` included. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A structure or map value, not a list, blob or date. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);

/** A handler-shaped value as JSON: timestamps as epoch seconds, blobs as base64. */
export function jsonValue(shape: Shape | undefined, value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => jsonValue(shape?.type === 'list' ? shape.member!.shape : undefined, v));
  if (!isPlainObject(value)) return typeof value === 'bigint' ? Number(value) : value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = shape?.type === 'structure' ? memberOf(shape, key) : undefined;
    const inner = member ? member.shape : shape?.type === 'map' ? shape.value!.shape : undefined;
    setOwn(out, member?.location === undefined && member?.locationName ? member.locationName : key, jsonValue(inner, value[key]));
  }
  return out;
}

/** Text for a label, query value or header. */
export function text(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object') return JSON.stringify(jsonValue(undefined, value));
  return String(value);
}

