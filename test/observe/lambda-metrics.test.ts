/**
 * Lambda's own metrics end to end: invoke functions through the SDK, then read `AWS/Lambda`
 * through CloudWatch (reads flush the in-memory recorder first, so no waiting) and /metrics.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, REGION, removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
let cw: CloudWatchClient;

describe('AWS/Lambda metrics', () => {
  beforeAll(async () => {
    nimbus = await startNimbus();
    cw = new CloudWatchClient({ endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
    const code = await makeZip({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("boom"); return "ok"; };' });
    const create = (FunctionName: string, extra = {}) =>
      nimbus.lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code }, ...extra }));
    await create('metered');
    await create('queued', { DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:000000000000:queued-dlq' } });
    await nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'queued', MaximumRetryAttempts: 0 }));
    await create('reserved');
    await create('spare');
    await nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 5 }));
  });
  afterAll(async () => {
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
  });

  const invoke = (payload: unknown) => nimbus.lambda.send(new InvokeCommand({ FunctionName: 'metered', Payload: Buffer.from(JSON.stringify(payload)) }));

  const window = () => ({ StartTime: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000), EndTime: new Date(Date.now() + 120_000) });
  /** One statistic over the last minutes: the sum of the periods' Sum or SampleCount, the highest Maximum (-Infinity when no data). */
  const statistic = async (MetricName: string, Dimensions: { Name: string; Value: string }[], stat: 'Sum' | 'Maximum' | 'SampleCount') => {
    const out = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName, Dimensions, ...window(), Period: 300, Statistics: [stat] }));
    const values = out.Datapoints!.map((d) => d[stat]!);
    return stat === 'Maximum' ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
  };

  // First, while nothing unreserved has run on this server yet.
  it('reports UnreservedConcurrentExecutions account-wide, leaving out functions with reserved concurrency', async () => {
    await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: Buffer.from('{}') }));
    expect(await statistic('ConcurrentExecutions', [], 'Maximum')).toBe(1);
    expect(await statistic('UnreservedConcurrentExecutions', [], 'Maximum')).toBe(-Infinity);
    await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'spare', Payload: Buffer.from('{}') }));
    expect(await statistic('UnreservedConcurrentExecutions', [], 'Maximum')).toBe(1);
    // One unreserved invocation running at most, plus the 5 reserved for 'reserved'.
    expect(await statistic('ClaimedAccountConcurrency', [], 'Maximum')).toBe(6);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', MetricName: 'UnreservedConcurrentExecutions' }));
    expect(listed.Metrics!.map((m) => m.Dimensions ?? [])).toEqual([[]]);
  });

  it('counts invocations, errors and durations per function and account-wide', async () => {
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const accountBefore = await statistic('Invocations', [], 'Sum');
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
    expect((await sum('Invocations', [])) - accountBefore).toBe(3);
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
    const metered = { Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'metered' }] };
    const rate = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          { Id: 'errors', MetricStat: { Metric: { ...metered, MetricName: 'Errors' }, Period: 180, Stat: 'Sum' }, ReturnData: false },
          { Id: 'invocations', MetricStat: { Metric: { ...metered, MetricName: 'Invocations' }, Period: 180, Stat: 'Sum' }, ReturnData: false },
          { Id: 'error_rate', Expression: '100*errors/invocations', Label: 'Error rate (%)' },
        ],
      }),
    );
    expect(rate.MetricDataResults).toHaveLength(1);
    expect(rate.MetricDataResults![0]).toMatchObject({ Id: 'error_rate', Label: 'Error rate (%)', StatusCode: 'Complete' });
    expect(rate.MetricDataResults![0]!.Values!.reduce((a, b) => a + b, 0)).toBeCloseTo(100 / 3, 5);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'metered' }] }));
    expect(listed.Metrics!.map((m) => m.MetricName).sort()).toEqual(expect.arrayContaining(['Duration', 'Errors', 'Invocations', 'Throttles']));
    const text = await (await fetch(`${nimbus.url}/metrics`)).text();
    expect(text).toContain('nimbus_lambda_invocations_total{function_name="metered"} 3');
    expect(text).toContain('nimbus_lambda_errors_total{function_name="metered"} 1');
    // Three sequential invokes: one cold start, then the same warm environment.
    expect(text).toContain('nimbus_lambda_cold_starts_total{function_name="metered"} 1');
    expect(text).toContain('nimbus_lambda_init_duration_seconds_count{function_name="metered"} 1');
    // The platform's own health: the store answered the calls above and was timed.
    expect(text).toMatch(/^nimbus_store_operation_seconds_count\{operation="functions\.create"\} [1-9]/m);
  });

  it('counts asynchronous events received, their age, drops and dead-letter errors', async () => {
    const queued = [{ Name: 'FunctionName', Value: 'queued' }];
    for (const payload of [{}, { fail: true }]) {
      const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'queued', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
      expect(out.StatusCode).toBe(202);
    }
    // The failing event is dropped after its one attempt (MaximumRetryAttempts 0); its DLQ is an
    // SQS queue, which Nimbus does not serve, so that delivery fails and counts.
    const settled = async () => (await statistic('DeadLetterErrors', queued, 'Sum')) === 1 && (await statistic('AsyncEventAge', queued, 'SampleCount')) === 2;
    await poll(settled, 20_000, 'both events to run and the drop to reach the dead-letter queue');
    expect(await statistic('AsyncEventsReceived', queued, 'Sum')).toBe(2);
    expect(await statistic('AsyncEventsReceived', [], 'Sum')).toBe(2);
    expect(await statistic('AsyncEventAge', queued, 'Maximum')).toBeGreaterThanOrEqual(0);
    expect(await statistic('AsyncEventsDropped', queued, 'Sum')).toBe(1);
    expect(await statistic('Invocations', queued, 'Sum')).toBe(2);
    const text = await (await fetch(`${nimbus.url}/metrics`)).text();
    expect(text).toContain('nimbus_dead_letter_errors_total 1');
  });
});
