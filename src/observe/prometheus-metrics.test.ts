import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { recorders } from './invocation-recorder.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

function scrape(metrics: PrometheusMetrics, path = '/metrics') {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      out.status = status;
      out.headers = headers;
    },
    end(body?: string) {
      out.body = body ?? '';
    },
  } as unknown as ServerResponse;
  const req = { method: 'GET' } as IncomingMessage;
  return metrics.route(req, res, new URL(`http://localhost${path}`)).then((handled) => ({ handled, ...out }));
}

describe('PrometheusMetrics', () => {
  it('counts invocations, errors, throttles and durations per function', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const both = recorders(metrics);
    both.record({ functionName: 'f', durationMs: 20 });
    both.record({ functionName: 'f', durationMs: 2000, error: true });
    both.record({ functionName: 'f', throttled: true });
    const end = both.running('f');
    const { handled, status, headers, body } = await scrape(metrics);
    expect([handled, status]).toEqual([true, 200]);
    expect(String(headers['Content-Type'])).toContain('text/plain');
    expect(body).toContain('nimbus_lambda_invocations_total{function_name="f"} 2');
    expect(body).toContain('nimbus_lambda_errors_total{function_name="f"} 1');
    expect(body).toContain('nimbus_lambda_throttles_total{function_name="f"} 1');
    expect(body).toContain('nimbus_lambda_duration_seconds_bucket{le="0.025",function_name="f"} 1');
    expect(body).toContain('nimbus_lambda_duration_seconds_count{function_name="f"} 2');
    expect(body).toContain('nimbus_lambda_concurrent_executions{function_name="f"} 1');
    end();
    end();
    expect((await scrape(metrics)).body).toContain('nimbus_lambda_concurrent_executions{function_name="f"} 0');
    expect((await scrape(metrics, '/other')).handled).toBe(false);
  });

  it('counts cold starts and their init durations: only invocations that report one', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.record({ functionName: 'f', durationMs: 3, initDurationMs: 40 });
    metrics.record({ functionName: 'f', durationMs: 1 });
    const { body } = await scrape(metrics);
    expect(body).toContain('nimbus_lambda_cold_starts_total{function_name="f"} 1');
    expect(body).toContain('nimbus_lambda_init_duration_seconds_bucket{le="0.05",function_name="f"} 1');
    expect(body).toContain('nimbus_lambda_init_duration_seconds_bucket{le="0.025",function_name="f"} 0');
    expect(body).toContain('nimbus_lambda_init_duration_seconds_count{function_name="f"} 1');
  });

  it('includes process metrics in its own registry', async () => {
    const { body } = await scrape(new PrometheusMetrics());
    expect(body).toContain('nimbus_process_cpu_user_seconds_total');
  });
});
