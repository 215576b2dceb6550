/**
 * OTLP/HTTP's JSON encoding of spans: an ExportTraceServiceRequest in the protobuf JSON mapping,
 * with OTLP's exceptions — trace and span ids as hex (not base64), enums as integers, 64-bit
 * integers (the unix-nanosecond times) as decimal strings, keys in lowerCamelCase.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */
import type { AttributeValue, Span } from './invocation-spans.js';

/** Status.code: STATUS_CODE_ERROR. Other spans leave the status unset. */
const STATUS_CODE_ERROR = 2;

/** Who produced the spans: the resource's attributes and the instrumentation scope. */
export interface TraceSource {
  resource: Record<string, AttributeValue>;
  scope: { name: string; version?: string };
}

/** The request body for POST /v1/traces. */
export function encodeTraces(spans: readonly Span[], source: TraceSource): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: attributes(source.resource) },
        scopeSpans: [{ scope: source.scope, spans: spans.map(encodeSpan) }],
      },
    ],
  });
}

function encodeSpan(s: Span): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId !== undefined ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: unixNanos(s.startMs),
    endTimeUnixNano: unixNanos(s.endMs),
    attributes: attributes(s.attributes),
    ...(s.error ? { status: { code: STATUS_CODE_ERROR, message: s.error.message } } : {}),
  };
}

function attributes(values: Record<string, AttributeValue>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(values).map(([key, v]) => ({ key, value: anyValue(v) }));
}

function anyValue(v: AttributeValue): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/**
 * Epoch milliseconds (fractional, from a monotonic clock) as unix nanoseconds in a decimal string.
 * Computed in BigInt: nanoseconds since 1970 are past what a double holds exactly (the input
 * itself is good to about a quarter of a microsecond today).
 */
export function unixNanos(ms: number): string {
  const whole = Math.floor(ms);
  const nanos = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(nanos)).toString();
}
