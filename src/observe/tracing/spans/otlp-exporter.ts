/**
 * Sends recorded invocations to an OpenTelemetry collector over OTLP/HTTP (JSON), off the invoke
 * path: `add` only queues; a full batch or a 1-second timer sends, one POST at a time, and
 * shutdown sends what is left. The queue is bounded: when the collector is slow or down, what
 * does not fit is dropped and counted (`dropped`), never held without bound, and a failed POST
 * drops its batch. No invoke ever waits for, or fails because of, the collector.
 * https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
import type { Logger } from '../../../shared/logger.js';
import { invocationSpans, spanCount, type TracedInvocation } from './invocation-spans.js';
import type { TraceSink } from './invocation-tracer.js';
import { encodeTraces, type TraceSource } from './otlp-json.js';

/** The traces URL of an OTLP endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT is read: `/v1/traces` is appended to its path unless it already ends so (a full traces URL, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT's form). */
export function otlpTracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`invalid OTLP endpoint (an http or https URL expected): ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`invalid OTLP endpoint (an http or https URL expected): ${endpoint}`);
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

export interface OtlpTraceExporterOptions {
  /** The full traces URL (otlpTracesUrl). */
  url: string;
  logger: Logger;
  source: TraceSource;
  /** Invocations queued at most (default 2,048, about 10,000 spans); more are dropped. */
  maxQueued?: number;
  /** Invocations per POST; a full batch is sent at once (default 256). */
  batchSize?: number;
  /** How often the queue is sent (default 1 s). */
  intervalMs?: number;
  /** A POST is abandoned after this (default 5 s). */
  timeoutMs?: number;
  /** Sends one request body; default POST `url` with fetch. Resolves when the collector accepted it. */
  send?: (body: string) => Promise<void>;
}

/** A batching OTLP/HTTP span exporter for invocation traces. */
export class OtlpTraceExporter implements TraceSink {
  /** Spans dropped: the queue was full, or the collector refused or could not be reached. */
  dropped = 0;
  /** Spans the collector accepted. */
  exported = 0;
  private queue: TracedInvocation[] = [];
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly send: (body: string) => Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  /** Dropping since the last accepted POST: warned once, not per span. */
  private dropping = false;

  constructor(private readonly o: OtlpTraceExporterOptions) {
    this.maxQueued = o.maxQueued ?? 2048;
    this.batchSize = o.batchSize ?? 256;
    const timeoutMs = o.timeoutMs ?? 5000;
    this.send = o.send ?? ((body) => post(o.url, body, timeoutMs));
  }

  add(invocation: TracedInvocation): void {
    if (this.queue.length >= this.maxQueued) {
      this.drop(spanCount(invocation), 'the trace queue is full');
      return;
    }
    this.queue.push(invocation);
    if (this.queue.length >= this.batchSize) void this.flush();
  }

  /** Sends the queue every interval (the timer does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.o.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Sends what is queued now; resolves when the queue was sent or a POST failed. Never rejects. */
  flush(): Promise<void> {
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
    return this.sending;
  }

  /** Stops the timer and sends what is left; what cannot be sent is counted as dropped. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    // A failed POST stops a drain: try the rest once more, then give up on it.
    if (this.queue.length > 0) await this.flush();
    const left = this.queue.splice(0);
    if (left.length > 0) this.drop(left.reduce((n, inv) => n + spanCount(inv), 0), 'the collector did not take them before shutdown');
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      const spans = batch.flatMap((inv) => invocationSpans(inv));
      try {
        await this.send(encodeTraces(spans, this.o.source));
      } catch (err) {
        this.drop(spans.length, `sending to ${this.o.url} failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      this.exported += spans.length;
      if (this.dropping) {
        this.dropping = false;
        this.o.logger.info('trace export resumed', { url: this.o.url, droppedSpans: this.dropped });
      }
    }
  }

  private drop(spans: number, why: string): void {
    this.dropped += spans;
    if (this.dropping) return;
    this.dropping = true;
    this.o.logger.warn('trace spans dropped', { reason: why, droppedSpans: this.dropped });
  }
}

async function post(url: string, body: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Read the (small) answer so the connection can be reused.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`the collector answered ${res.status}`);
}
