/**
 * Timestamps on the wire. The model may name a format (`timestampFormat`); otherwise it depends on
 * where the value travels: epoch seconds in JSON bodies, RFC 822 in headers, ISO 8601 in query
 * strings and URIs. https://smithy.io/2.0/spec/protocol-traits.html#timestampformat-trait
 */
export type TimestampFormat = 'unixTimestamp' | 'iso8601' | 'rfc822';

/** A Date from any of the wire forms (epoch seconds as number or text, ISO 8601, RFC 822); undefined if unreadable. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') {
    const trimmed = value.trim();
    ms = /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed);
  } else return undefined;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** A handler's timestamp (Date, ISO/RFC text, or epoch seconds) in the given wire format. */
export function formatTimestamp(value: unknown, format: TimestampFormat): string | number | undefined {
  const date = parseTimestamp(value);
  if (!date) return undefined;
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000;
    case 'rfc822':
      return date.toUTCString();
    case 'iso8601':
      return date.toISOString();
  }
}
