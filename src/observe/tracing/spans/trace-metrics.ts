/** The trace exporter's counters on `/metrics`, read when scraped. */
import { Gauge, type Registry } from 'prom-client';

/** Registers `nimbus_trace_spans_exported_total` and `nimbus_trace_spans_dropped_total` on `registry`. */
export function registerTraceMetrics(registry: Registry, exporter: { readonly exported: number; readonly dropped: number }): void {
  const registers = [registry];
  new Gauge({
    name: 'nimbus_trace_spans_exported_total',
    help: 'Invocation spans the OTLP collector accepted.',
    registers,
    collect() {
      this.set(exporter.exported);
    },
  });
  new Gauge({
    name: 'nimbus_trace_spans_dropped_total',
    help: 'Invocation spans dropped: the trace queue was full or the OTLP collector could not take them.',
    registers,
    collect() {
      this.set(exporter.dropped);
    },
  });
}
