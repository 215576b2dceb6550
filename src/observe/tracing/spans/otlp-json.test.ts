import { describe, expect, it } from 'vitest';
import { SPAN_KIND_INTERNAL, SPAN_KIND_SERVER, type Span } from './invocation-spans.js';
import { encodeTraces, unixNanos } from './otlp-json.js';

describe('unixNanos', () => {
  it('writes epoch milliseconds as nanoseconds without losing the whole part', () => {
    expect(unixNanos(1_700_000_000_000)).toBe('1700000000000000000');
    expect(unixNanos(1_700_000_000_123.25)).toBe('1700000000123250000');
    expect(unixNanos(0.5)).toBe('500000');
  });
});

describe('encodeTraces', () => {
  it('writes an ExportTraceServiceRequest in the OTLP JSON mapping', () => {
    const spans: Span[] = [
      {
        traceId: '5759e988bd862e3fe1be46a994272793',
        spanId: '1111111111111111',
        parentSpanId: '53995c3f42cd8ad8',
        name: 'f',
        kind: SPAN_KIND_SERVER,
        startMs: 1000,
        endMs: 1002.5,
        attributes: { s: 'v', b: false, i: 42, d: 1.5 },
        error: { message: 'boom' },
      },
      { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '2222222222222222', name: 'invoke', kind: SPAN_KIND_INTERNAL, startMs: 1001, endMs: 1002, attributes: {} },
    ];
    const body = JSON.parse(encodeTraces(spans, { resource: { 'service.name': 'nimbus' }, scope: { name: 'nimbus' } }));
    expect(body).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'nimbus' } }] },
          scopeSpans: [
            {
              scope: { name: 'nimbus' },
              spans: [
                {
                  traceId: '5759e988bd862e3fe1be46a994272793',
                  spanId: '1111111111111111',
                  parentSpanId: '53995c3f42cd8ad8',
                  name: 'f',
                  kind: 2,
                  startTimeUnixNano: '1000000000',
                  endTimeUnixNano: '1002500000',
                  attributes: [
                    { key: 's', value: { stringValue: 'v' } },
                    { key: 'b', value: { boolValue: false } },
                    { key: 'i', value: { intValue: '42' } },
                    { key: 'd', value: { doubleValue: 1.5 } },
                  ],
                  status: { code: 2, message: 'boom' },
                },
                {
                  traceId: '5759e988bd862e3fe1be46a994272793',
                  spanId: '2222222222222222',
                  name: 'invoke',
                  kind: 1,
                  startTimeUnixNano: '1001000000',
                  endTimeUnixNano: '1002000000',
                  attributes: [],
                },
              ],
            },
          ],
        },
      ],
    });
  });
});
