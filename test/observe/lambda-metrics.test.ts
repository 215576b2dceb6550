/**
 * Lambda's own metrics end to end: invoke functions through the SDK, then read `AWS/Lambda`
 * through CloudWatch (reads flush the in-memory recorder first, so no waiting) and /metrics.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, REGION, removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/nimbus.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
let cw: CloudWatchClient;

// Skipped until the invoke path calls the recorder (LambdaDeps.metrics; see src/observe/README.md).
describe('AWS/Lambda metrics', () => {
  beforeAll(async () => {
    nimbus = await startNimbus();
    cw = new CloudWatchClient({ endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
    const code = await makeZip({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("boom"); return "ok"; };' });
    await nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: 'metered', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code } }));
  });
  afterAll(async () => {
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
  });

  const invoke = (payload: unknown) => nimbus.lambda.send(new InvokeCommand({ FunctionName: 'metered', Payload: Buffer.from(JSON.stringify(payload)) }));

  it('counts invocations, errors and durations per function and account-wide', async () => {
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    await invoke({});
    await invoke({});
    await invoke({ fail: true });
    const end = new Date(Date.now() + 120_000);
    const sum = async (MetricName: string, Dimensions = [{ Name: 'FunctionName', Value: 'metered' }]) => {
      const out = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName, Dimensions, StartTime: start, EndTime: end, Period: 180, Statistics: ['Sum', 'SampleCount'] }),
      );
      return out.Datapoints!.reduce((s, d) => s + d.Sum!, 0);
    };
    expect(await sum('Invocations')).toBe(3);
    expect(await sum('Errors')).toBe(1);
    expect(await sum('Invocations', [])).toBe(3);
    const duration = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          { Id: 'p99', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'metered' }] }, Period: 180, Stat: 'p99' } },
        ],
      }),
    );
    expect(duration.MetricDataResults![0]!.Values![0]).toBeGreaterThan(0);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'metered' }] }));
    expect(listed.Metrics!.map((m) => m.MetricName).sort()).toEqual(expect.arrayContaining(['Duration', 'Errors', 'Invocations', 'Throttles']));
    const text = await (await fetch(`${nimbus.url}/metrics`)).text();
    expect(text).toContain('nimbus_lambda_invocations_total{function_name="metered"} 3');
    expect(text).toContain('nimbus_lambda_errors_total{function_name="metered"} 1');
  });
});
