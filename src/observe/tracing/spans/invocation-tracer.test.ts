import type { ServerResponse } from 'node:http';
import { finished, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../shared/errors.js';
import type { TracedInvocation } from './invocation-spans.js';
import { InvocationTracer, type TraceStart } from './invocation-tracer.js';
import { decideTrace } from '../trace-decision.js';

/** Settles with the status once the response is written out, as the function URL route gives it. */
const answered = (res: ServerResponse) => new Promise<number>((ok) => finished(res, () => ok(res.statusCode)));

const T = 1_700_000_000_000;
const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

function setup() {
  let elapsed = 0;
  // The monotonic clock has its own origin: spans are placed on the epoch from it.
  const clock = { now: () => T + elapsed, monotonic: () => 5000 + elapsed };
  const recorded: TracedInvocation[] = [];
  const tracer = new InvocationTracer({ clock, sink: { add: (inv) => recorded.push(inv) } });
  return { tracer, recorded, advance: (ms: number) => (elapsed += ms) };
}

const never = { sample: () => false };

function start(header: string, over: Partial<TraceStart> = {}): TraceStart {
  return {
    decision: decideTrace(header, 'PassThrough', T, never, 'f'),
    trigger: 'other',
    functionName: 'f',
    version: '3',
    invokedArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f:live',
    region: 'eu-west-1',
    requestId: 'req-1',
    ...over,
  };
}

/** A response stand-in: a writable stream with a status code. */
function response(statusCode = 200): ServerResponse {
  const res = new Writable({ write: (_chunk, _enc, done) => done() }) as unknown as ServerResponse;
  res.statusCode = statusCode;
  return res;
}

const ended = (res: ServerResponse) => new Promise<void>((ok) => finished(res, () => ok()));

describe('InvocationTracer', () => {
  it('records nothing for an unsampled trace', () => {
    const { tracer } = setup();
    expect(tracer.begin(start(`Root=${ROOT};Sampled=0`))).toBeUndefined();
    expect(tracer.begin(start(`Root=${ROOT}`))).toBeUndefined();
  });

  it('gives the function the same trace with the invoke span as Parent', () => {
    const { tracer } = setup();
    const trace = tracer.begin(start(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1`))!;
    expect(trace.header).toMatch(new RegExp(`^Root=${ROOT};Parent=([0-9a-f]{16});Sampled=1;Lineage=a87bd80c:1$`));
    expect(trace.header).not.toContain('53995c3f42cd8ad8');
  });

  it('records the phases of a synchronous invocation, ending when the response is written', async () => {
    const { tracer, recorded, advance } = setup();
    const trace = tracer.begin(start(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`))!;
    advance(2);
    trace.leased();
    advance(158);
    trace.ran({ durationMs: 50, initDurationMs: 100 });
    const res = response();
    trace.respondedWhen(answered(res));
    advance(10);
    expect(recorded).toEqual([]);
    res.end('done');
    await ended(res);
    expect(recorded).toHaveLength(1);
    const inv = recorded[0]!;
    expect(inv).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      parentSpanId: '53995c3f42cd8ad8',
      functionName: 'f',
      version: '3',
      invokedArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f:live',
      requestId: 'req-1',
      trigger: 'other',
      region: 'eu-west-1',
      startMs: T,
      leasedMs: T + 2,
      resultMs: T + 160,
      durationMs: 50,
      initDurationMs: 100,
      responded: true,
      endMs: T + 170,
    });
    expect(trace.header).toContain(`Parent=${inv.invokeSpanId}`);
    expect(inv.error).toBeUndefined();
  });

  it("describes a function error by the function's errorType and errorMessage", () => {
    const { tracer, recorded } = setup();
    const trace = tracer.begin(start(`Root=${ROOT};Sampled=1`))!;
    trace.leased();
    trace.ran({ durationMs: 1, functionError: 'Unhandled', payload: Buffer.from('{"errorType":"TypeError","errorMessage":"x is not a function"}') });
    trace.finish();
    expect(recorded[0]!.error).toEqual({ type: 'TypeError', message: 'x is not a function' });
    const other = tracer.begin(start(`Root=${ROOT};Sampled=1`))!;
    other.ran({ durationMs: 1, functionError: 'Unhandled', payload: Buffer.from('not json') });
    other.finish();
    expect(recorded[1]!.error).toEqual({ type: 'Unhandled', message: 'Unhandled' });
  });

  it('records a refused invocation with its error and no phases', () => {
    const { tracer, recorded } = setup();
    const trace = tracer.begin(start(`Root=${ROOT};Sampled=1`))!;
    trace.failed(new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429));
    trace.finish();
    trace.finish();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ error: { type: 'TooManyRequestsException', message: 'Rate Exceeded.' }, responded: false });
    expect(recorded[0]!.leasedMs).toBeUndefined();
    expect(recorded[0]!.resultMs).toBeUndefined();
  });

  it('starts an async attempt when it became due, and an HTTP trigger records the status it answered', async () => {
    const { tracer, recorded, advance } = setup();
    advance(500);
    const trace = tracer.begin(start(`Root=${ROOT};Sampled=1`, { trigger: 'http', queuedAtMs: T + 100, attributes: { 'http.request.method': 'POST' } }))!;
    trace.leased();
    trace.ran({ durationMs: 0 });
    const res = response(502);
    trace.respondedWhen(answered(res));
    res.end();
    await ended(res);
    expect(recorded[0]).toMatchObject({ startMs: T + 100, leasedMs: T + 500, attributes: { 'http.request.method': 'POST', 'http.response.status_code': 502 } });
  });
});
