import { describe, expect, it } from 'vitest';
import { invocationSpans, spanCount, SPAN_KIND_INTERNAL, SPAN_KIND_SERVER, type TracedInvocation } from './invocation-spans.js';

const T = 1_700_000_000_000;

function traced(over: Partial<TracedInvocation> = {}): TracedInvocation {
  return {
    traceId: '5759e988bd862e3fe1be46a994272793',
    parentSpanId: '53995c3f42cd8ad8',
    invokeSpanId: 'aaaaaaaaaaaaaaaa',
    functionName: 'f',
    version: '$LATEST',
    invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    requestId: 'req-1',
    trigger: 'other',
    region: 'us-east-1',
    startMs: T,
    leasedMs: T + 1,
    resultMs: T + 351,
    durationMs: 100,
    initDurationMs: 200,
    responded: true,
    endMs: T + 352,
    ...over,
  };
}

/** Ids r0, r1, … in the order asked. */
const ids = () => {
  let n = 0;
  return () => `r${n++}`;
};

const window = (s: { name: string; startMs: number; endMs: number }) => [s.name, s.startMs - T, s.endMs - T];

describe('invocationSpans', () => {
  it('makes a root span under the caller and a child per phase, placed from the REPORT figures', () => {
    const spans = invocationSpans(traced(), ids());
    expect(spans.map(window)).toEqual([
      ['f', 0, 352],
      ['queue wait', 0, 1],
      ['init', 51, 251],
      ['invoke', 251, 351],
      ['response', 351, 352],
    ]);
    const [root, ...children] = spans;
    expect(root).toMatchObject({ traceId: '5759e988bd862e3fe1be46a994272793', spanId: 'r0', parentSpanId: '53995c3f42cd8ad8', kind: SPAN_KIND_SERVER });
    for (const c of children) expect(c).toMatchObject({ traceId: root!.traceId, parentSpanId: 'r0', kind: SPAN_KIND_INTERNAL });
    // The function was told this id as Parent: its own spans hang under the invoke phase.
    expect(spans[3]!.spanId).toBe('aaaaaaaaaaaaaaaa');
    expect(spanCount(traced())).toBe(5);
  });

  it('carries the FaaS attributes', () => {
    const [root] = invocationSpans(traced({ trigger: 'http', attributes: { 'http.request.method': 'GET' } }), ids());
    expect(root!.attributes).toEqual({
      'faas.trigger': 'http',
      'faas.invocation_id': 'req-1',
      'faas.coldstart': true,
      'faas.name': 'f',
      'faas.version': '$LATEST',
      'cloud.region': 'us-east-1',
      'cloud.resource_id': 'arn:aws:lambda:us-east-1:000000000000:function:f',
      'http.request.method': 'GET',
    });
    expect(root!.error).toBeUndefined();
  });

  it('has no init phase on a warm start, and no parent without one upstream', () => {
    const { parentSpanId: _, ...noParent } = traced({ initDurationMs: undefined });
    const spans = invocationSpans(noParent, ids());
    expect(spans.map((s) => s.name)).toEqual(['f', 'queue wait', 'invoke', 'response']);
    expect(spans[0]!.parentSpanId).toBeUndefined();
    expect(spans[0]!.attributes['faas.coldstart']).toBe(false);
    expect(spanCount(noParent)).toBe(4);
  });

  it('never places a phase before the lease', () => {
    // A timed-out invocation reports its whole timeout, longer than it held the environment here.
    const spans = invocationSpans(traced({ durationMs: 5000, initDurationMs: 10 }), ids());
    expect(spans.map(window)).toContainEqual(['init', 1, 1]);
    expect(spans.map(window)).toContainEqual(['invoke', 1, 351]);
  });

  it('marks a function error on the root and the invoke phase', () => {
    const spans = invocationSpans(traced({ error: { type: 'Error', message: 'boom' } }), ids());
    expect(spans[0]!.error).toEqual({ message: 'boom' });
    expect(spans[0]!.attributes['error.type']).toBe('Error');
    expect(spans.find((s) => s.name === 'invoke')!.error).toEqual({ message: 'boom' });
  });

  it('is only a root span for a throttled invocation, and has no response phase for an async attempt', () => {
    const throttled = traced({ leasedMs: undefined, resultMs: undefined, durationMs: undefined, initDurationMs: undefined, responded: false, error: { type: 'TooManyRequestsException', message: 'Rate Exceeded.' } });
    expect(invocationSpans(throttled, ids()).map((s) => s.name)).toEqual(['f']);
    expect(spanCount(throttled)).toBe(1);
    expect(invocationSpans(traced({ responded: false }), ids()).map((s) => s.name)).toEqual(['f', 'queue wait', 'init', 'invoke']);
  });
});
