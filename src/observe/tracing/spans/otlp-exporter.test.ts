import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/logger.js';
import type { TracedInvocation } from './invocation-spans.js';
import { OtlpTraceExporter, otlpTracesUrl, type OtlpTraceExporterOptions } from './otlp-exporter.js';

describe('otlpTracesUrl', () => {
  it('appends /v1/traces to a base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT is read', () => {
    expect(otlpTracesUrl('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('https://collector/otlp')).toBe('https://collector/otlp/v1/traces');
  });

  it('takes a full traces URL as it is', () => {
    expect(otlpTracesUrl('http://collector:4318/v1/traces')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('https://collector/custom/v1/traces?tenant=a')).toBe('https://collector/custom/v1/traces?tenant=a');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => otlpTracesUrl('collector:4318')).toThrow(/invalid OTLP endpoint/);
    expect(() => otlpTracesUrl('not a url')).toThrow(/invalid OTLP endpoint/);
    expect(() => otlpTracesUrl('ftp://collector')).toThrow(/invalid OTLP endpoint/);
  });
});

/** A warm, answered invocation: 4 spans. */
function traced(requestId: string): TracedInvocation {
  return {
    traceId: '5759e988bd862e3fe1be46a994272793',
    invokeSpanId: 'aaaaaaaaaaaaaaaa',
    functionName: 'f',
    version: '$LATEST',
    invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    requestId,
    trigger: 'other',
    region: 'us-east-1',
    startMs: 1000,
    leasedMs: 1001,
    resultMs: 1005,
    durationMs: 3,
    responded: true,
    endMs: 1006,
  };
}

/** A collector stand-in: each POST waits until the test answers it. */
function collector() {
  const bodies: any[] = [];
  const waiting: { ok: () => void; fail: (err: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (body: string) => {
    bodies.push(JSON.parse(body));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<void>((ok, fail) => waiting.push({ ok, fail })).finally(() => inFlight--);
  };
  /** Answers the oldest POST and lets the exporter go on. */
  const answer = async (outcome: 'ok' | 'fail' = 'ok') => {
    while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    const next = waiting.shift()!;
    if (outcome === 'ok') next.ok();
    else next.fail(new Error('connection refused'));
    await new Promise((r) => setImmediate(r));
  };
  const requestIds = (body: any) =>
    body.resourceSpans[0].scopeSpans[0].spans.map((s: any) => s.attributes.find((a: any) => a.key === 'faas.invocation_id')?.value.stringValue).filter(Boolean);
  return { bodies, send, answer, requestIds, get maxInFlight() { return maxInFlight; } };
}

function recordingLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines };
}

function exporter(send: (body: string) => Promise<void>, over: Partial<OtlpTraceExporterOptions> = {}) {
  return new OtlpTraceExporter({
    url: 'http://collector/v1/traces',
    logger: silentLogger,
    source: { resource: { 'service.name': 'nimbus' }, scope: { name: 'nimbus' } },
    send,
    ...over,
  });
}

describe('OtlpTraceExporter', () => {
  it('sends what is queued in one request and counts the spans', async () => {
    const c = collector();
    const e = exporter(c.send);
    e.add(traced('a'));
    e.add(traced('b'));
    expect(c.bodies).toHaveLength(0);
    const flushed = e.flush();
    await c.answer();
    await flushed;
    expect(c.bodies).toHaveLength(1);
    expect(c.requestIds(c.bodies[0])).toEqual(['a', 'b']);
    expect(c.bodies[0].resourceSpans[0].scopeSpans[0].spans).toHaveLength(8);
    expect(e.exported).toBe(8);
    expect(e.dropped).toBe(0);
  });

  it('sends a full batch at once, one request at a time', async () => {
    const c = collector();
    const e = exporter(c.send, { batchSize: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) e.add(traced(id));
    expect(c.bodies).toHaveLength(1); // the first full batch went; the rest waits for its answer
    await c.answer();
    expect(c.bodies).toHaveLength(2);
    await c.answer();
    await c.answer();
    await e.flush();
    expect(c.bodies.map(c.requestIds)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(c.maxInFlight).toBe(1);
    expect(e.exported).toBe(20);
  });

  it('drops and counts what does not fit, instead of growing', () => {
    const c = collector();
    const e = exporter(c.send, { maxQueued: 2 });
    e.add(traced('a'));
    e.add(traced('b'));
    e.add(traced('c'));
    e.add(traced('d'));
    expect(e.dropped).toBe(8);
    expect(c.bodies).toHaveLength(0);
  });

  it('drops a batch the collector refused, warns once, and says when it works again', async () => {
    const c = collector();
    const { logger, lines } = recordingLogger();
    const e = exporter(c.send, { logger });
    e.add(traced('a'));
    let flushed = e.flush();
    await c.answer('fail');
    await flushed;
    e.add(traced('b'));
    flushed = e.flush();
    await c.answer('fail');
    await flushed;
    expect(e.dropped).toBe(8);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(lines[0]!.fields?.reason).toMatch(/sending to http:\/\/collector\/v1\/traces failed: connection refused/);
    e.add(traced('c'));
    flushed = e.flush();
    await c.answer();
    await flushed;
    expect(e.exported).toBe(4);
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'trace export resumed' });
  });

  it('sends what is left on shutdown, and counts what the collector did not take', async () => {
    const c = collector();
    const e = exporter(c.send, { batchSize: 2 });
    e.add(traced('a'));
    let done = e.shutdown();
    await c.answer();
    await done;
    expect(e.exported).toBe(4);

    const down = exporter(() => Promise.reject(new Error('down')), { batchSize: 1 });
    for (const id of ['a', 'b', 'c']) down.add(traced(id));
    done = down.shutdown();
    await done;
    expect(down.exported).toBe(0);
    expect(down.dropped).toBe(12);
  });
});
