/**
 * Prometheus text at `GET /metrics` (unsigned, like the health route), from prom-client with a
 * registry of the server's own so nothing else in the process can add to it: the process
 * metrics prom-client collects (CPU, memory, event loop lag, handles) and whatever the services
 * register, among them Lambda's per-function invocation, error and throttle counters, duration
 * histogram, running count, cold starts and their init durations (this file).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InvocationRecorder, InvocationSample } from './invocation-recorder.js';

/** The path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** The server's registry, with the process metrics; `metricsRoute` serves it. */
export function platformRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'nimbus_' });
  return registry;
}

/** The raw route answering `GET /metrics` with the registry's text. */
export function metricsRoute(registry: Registry) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const text = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
    return true;
  };
}

/** Invocation metrics in the server's registry (a registry of their own in tests). */
export class PrometheusMetrics implements InvocationRecorder {
  readonly registry: Registry;
  private readonly invocations: Counter<'function_name'>;
  private readonly errors: Counter<'function_name'>;
  private readonly throttles: Counter<'function_name'>;
  private readonly duration: Histogram<'function_name'>;
  private readonly concurrent: Gauge<'function_name'>;
  private readonly coldStarts: Counter<'function_name'>;
  private readonly initDuration: Histogram<'function_name'>;

  constructor(options: { registry?: Registry; processMetrics?: boolean } = {}) {
    this.registry = options.registry ?? platformRegistry({ processMetrics: options.processMetrics });
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
  get route(): ReturnType<typeof metricsRoute> {
    return metricsRoute(this.registry);
  }
}
