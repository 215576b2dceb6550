/**
 * Values that travel as text outside a JSON body: URI labels, query parameters and headers.
 * Reading turns the text into the member's type; writing does the reverse for response headers.
 */
import type { Member, Shape } from '../kit/models/shapes.js';
import { formatTimestamp, parseTimestamp, type TimestampFormat } from './timestamp.js';

/** Returned by `readText` when the text is not a valid value of the member's type. */
export const INVALID = Symbol('invalid');

/**
 * The typed value of `text` for `member`, or INVALID. Timestamps are accepted in every wire
 * format, so where the text was found (label, query, header) does not matter on input.
 */
export function readText(member: Member, text: string): unknown {
  return readScalar(member.shape, text, member.jsonvalue);
}

function readScalar(shape: Shape, text: string, jsonvalue: boolean): unknown {
  switch (shape.type) {
    case 'string':
      if (!jsonvalue) return text;
      // `jsonvalue` headers carry base64-encoded JSON.
      try {
        return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
      } catch {
        return INVALID;
      }
    case 'integer':
    case 'long': {
      const n = Number(text);
      return text.trim() !== '' && Number.isInteger(n) ? n : INVALID;
    }
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger': {
      if (text === 'NaN') return NaN;
      if (text === 'Infinity') return Infinity;
      if (text === '-Infinity') return -Infinity;
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : INVALID;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : INVALID;
    case 'timestamp':
      return readTimestamp(text) ?? INVALID;
    case 'blob':
      return decodeBase64(text) ?? INVALID;
    case 'list': {
      // Lists in headers are comma-separated.
      const member = shape.member!;
      const out: unknown[] = [];
      for (const part of text.split(',')) {
        const v = readScalar(member.shape, part.trim(), member.jsonvalue);
        if (v === INVALID) return INVALID;
        out.push(v);
      }
      return out;
    }
    default:
      return INVALID;
  }
}

/** The timestamp forms AWS's protocols write: epoch seconds, ISO 8601 date-times, RFC 822 (HTTP) dates. */
const TIMESTAMP_TEXT = [
  /^-?\d+(\.\d+)?$/,
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)$/,
  /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(:\d{2})? (GMT|UTC|[+-]\d{4})$/,
];

/**
 * A timestamp written as text, or undefined. Only the wire's forms are read: Date.parse alone
 * takes `1.2.3` for 2 January 2003 and `abc 1` for a date in 2001.
 */
export function readTimestamp(text: string): Date | undefined {
  const trimmed = text.trim();
  return TIMESTAMP_TEXT.some((re) => re.test(trimmed)) ? parseTimestamp(trimmed) : undefined;
}

/**
 * Base64 text as bytes, or undefined when it is not base64: Buffer.from skips characters it does
 * not know (and stops at an inner `=`), so `!!!` would silently be an empty blob. Whatever it
 * skipped shows as fewer bytes than the text's length promises. The URL-safe alphabet is accepted.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const decoded = Buffer.from(text, 'base64');
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (text.length - end > 2 || end % 4 === 1) return undefined;
  return decoded.length === Math.floor((end * 3) / 4) ? decoded : undefined;
}

/** A response header value for `member`, or undefined to leave the header out. */
export function writeHeaderText(member: Member, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = member.shape;
  switch (shape.type) {
    case 'string':
      if (member.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
      return String(value);
    case 'timestamp': {
      const format = (member.timestampFormat ?? shape.timestampFormat ?? 'rfc822') as TimestampFormat;
      const text = formatTimestamp(value, format);
      return text === undefined ? undefined : String(text);
    }
    case 'blob':
      return Buffer.isBuffer(value) || value instanceof Uint8Array
        ? Buffer.from(value).toString('base64')
        : Buffer.from(String(value)).toString('base64');
    case 'list':
      return Array.isArray(value)
        ? value.map((v) => writeHeaderText(shape.member!, v) ?? '').join(', ')
        : String(value);
    default:
      return String(value);
  }
}
