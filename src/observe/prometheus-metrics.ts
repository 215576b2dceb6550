/**
 * Prometheus text at `GET /metrics` (unsigned, like the health route), from prom-client with a
 * registry of its own so nothing else in the process can add to it: per-function invocation,
 * error and throttle counters, a duration histogram, the running count, cold starts and their
 * init durations, plus the process
 * metrics prom-client collects (CPU, memory, event loop lag, handles).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InvocationRecorder, InvocationSample } from './invocation-recorder.js';

/** The path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** Invocation metrics in a private prom-client registry. */
export class PrometheusMetrics implements InvocationRecorder {
  readonly registry = new Registry();
  private readonly invocations: Counter<'function_name'>;
  private readonly errors: Counter<'function_name'>;
  private readonly throttles: Counter<'function_name'>;
  private readonly duration: Histogram<'function_name'>;
  private readonly concurrent: Gauge<'function_name'>;
  private readonly coldStarts: Counter<'function_name'>;
  private readonly initDuration: Histogram<'function_name'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const labelNames = ['function_name'] as const;
    this.invocations = new Counter({ name: 'nimbus_lambda_invocations_total', help: 'Function invocations, throttles excluded.', labelNames, registers });
    this.errors = new Counter({ name: 'nimbus_lambda_errors_total', help: 'Invocations that ended in a function error.', labelNames, registers });
    this.throttles = new Counter({ name: 'nimbus_lambda_throttles_total', help: 'Invocations refused for lack of concurrency.', labelNames, registers });
    this.duration = new Histogram({
      name: 'nimbus_lambda_duration_seconds',
      help: 'Time functions spent running an invocation.',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
    this.concurrent = new Gauge({ name: 'nimbus_lambda_concurrent_executions', help: 'Invocations running now.', labelNames, registers });
    this.coldStarts = new Counter({ name: 'nimbus_lambda_cold_starts_total', help: 'Invocations that started a new environment (on demand).', labelNames, registers });
    this.initDuration = new Histogram({
      name: 'nimbus_lambda_init_duration_seconds',
      help: "Init phase of cold starts: from launch to the runtime's first request for an event (REPORT's Init Duration).",
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'nimbus_' });
  }

  record(s: InvocationSample): void {
    const labels = { function_name: s.functionName };
    if (s.throttled) {
      this.throttles.inc(labels);
      return;
    }
    this.invocations.inc(labels);
    if (s.error) this.errors.inc(labels);
    if (s.durationMs !== undefined) this.duration.observe(labels, s.durationMs / 1000);
    if (s.initDurationMs !== undefined) {
      this.coldStarts.inc(labels);
      this.initDuration.observe(labels, s.initDurationMs / 1000);
    }
  }

  running(functionName: string): () => void {
    const labels = { function_name: functionName };
    this.concurrent.inc(labels);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.concurrent.dec(labels);
    };
  }

  /** The raw route answering `GET /metrics` with the registry's text. */
  route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const text = await this.registry.metrics();
    res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Content-Length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
    return true;
  };
}
