/**
 * CloudWatch metrics through the real SDK v3 client against a real server, in each protocol the
 * model lists: json (the client's default today), query (what older clients and the aws CLI 2.9
 * send) and rpc-v2-cbor (opt-in), chosen with the client's `protocol` setting.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, REGION, removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';

let nimbus: NimbusProcess;
const clients: Record<string, CloudWatchClient> = {};

beforeAll(async () => {
  nimbus = await startNimbus();
  const config = { endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  clients.json = new CloudWatchClient(config);
  clients.query = new CloudWatchClient({ ...config, protocol: AwsQueryProtocol } as never);
  clients.cbor = new CloudWatchClient({ ...config, protocol: AwsSmithyRpcV2CborProtocol } as never);
});

afterAll(async () => {
  await nimbus?.stop();
  if (nimbus) removeDataDir(nimbus.dataDir);
});

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; Code?: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, Code: e.Code, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

// Whole minutes a little in the past, from one fixed base so that a minute boundary passing mid-test changes nothing.
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const minute = (n: number) => new Date(BASE - n * 60_000);

describe.each(['json', 'query', 'cbor'])('CloudWatch metrics over %s', (protocol) => {
  const ns = `Nimbus/Test/${protocol}`;
  const dims = [{ Name: 'Stage', Value: 'prod' }, { Name: 'Api', Value: 'orders' }];

  it('round-trips PutMetricData through GetMetricStatistics, GetMetricData and ListMetrics', async () => {
    const cw = clients[protocol]!;
    await cw.send(
      new PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          { MetricName: 'Latency', Dimensions: dims, Timestamp: minute(3), Value: 10, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: minute(3), Values: [20, 30], Counts: [1, 2], Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: minute(2), StatisticValues: { SampleCount: 2, Sum: 8, Minimum: 3, Maximum: 5 }, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: [dims[0]!], Timestamp: minute(2), Value: 1000, Unit: 'Milliseconds' },
          { MetricName: 'Orders', Timestamp: minute(2), Value: 1 },
        ],
      }),
    );

    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: ns,
        MetricName: 'Latency',
        Dimensions: [...dims].reverse(),
        StartTime: minute(5),
        EndTime: minute(0),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
        ExtendedStatistics: ['p50', 'p99'],
      }),
    );
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints).toHaveLength(2);
    const [first, second] = stats.Datapoints!;
    expect(first).toMatchObject({ Timestamp: minute(3), SampleCount: 4, Sum: 90, Average: 22.5, Minimum: 10, Maximum: 30, Unit: 'Milliseconds' });
    expect(first!.ExtendedStatistics!.p99).toBeCloseTo(30, 0);
    expect(first!.ExtendedStatistics!.p50).toBeCloseTo(20, 0);
    expect(second).toMatchObject({ Timestamp: minute(2), SampleCount: 2, Sum: 8, Minimum: 3, Maximum: 5 });

    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: minute(5),
        EndTime: minute(0),
        MetricDataQueries: [
          { Id: 'sum', MetricStat: { Metric: { Namespace: ns, MetricName: 'Latency', Dimensions: dims }, Period: 300, Stat: 'Sum' } },
          { Id: 'max', Label: 'peak', MetricStat: { Metric: { Namespace: ns, MetricName: 'Latency', Dimensions: dims }, Period: 60, Stat: 'Maximum' } },
          { Id: 'hidden', ReturnData: false, MetricStat: { Metric: { Namespace: ns, MetricName: 'Orders' }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    );
    expect(data.MetricDataResults).toEqual([
      { Id: 'sum', Label: 'Latency', Timestamps: [minute(5)], Values: [98], StatusCode: 'Complete' },
      { Id: 'max', Label: 'peak', Timestamps: [minute(2), minute(3)], Values: [5, 30], StatusCode: 'Complete' },
    ]);

    const listed = await cw.send(new ListMetricsCommand({ Namespace: ns }));
    const shown = listed.Metrics!.map((m) => `${m.MetricName}:${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`);
    expect(shown.sort()).toEqual(['Latency:Api=orders,Stage=prod', 'Latency:Stage=prod', 'Orders:']);
    const filtered = await cw.send(new ListMetricsCommand({ Namespace: ns, Dimensions: [{ Name: 'Api' }] }));
    expect(filtered.Metrics).toHaveLength(1);
    expect((await cw.send(new ListMetricsCommand({ Namespace: ns, MetricName: 'Orders' }))).Metrics).toHaveLength(1);
  });

  it('answers bad input with CloudWatch errors', async () => {
    const cw = clients[protocol]!;
    const reserved = await failure(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'm', Value: 1 }] })));
    expect(reserved).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(reserved.message).toBe('The value AWS/Lambda for parameter Namespace is invalid.');
    const both = await failure(
      cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'm', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })),
    );
    expect(both.name).toBe('InvalidParameterCombinationException');
    const old = await failure(cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'm', Value: 1, Timestamp: new Date(Date.now() - 15 * 86400_000) }] })));
    expect(old.message).toContain('no more than two weeks in the past');
    const noStats = await failure(
      cw.send(new GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'm', StartTime: minute(5), EndTime: minute(0), Period: 60 })),
    );
    expect(noStats.name).toBe('InvalidParameterCombinationException');
    const backwards = await failure(
      cw.send(new GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'm', StartTime: minute(0), EndTime: minute(5), Period: 60, Statistics: ['Sum'] })),
    );
    expect(backwards.message).toBe('The parameter StartTime must be less than the parameter EndTime.');
    const expression = await failure(
      cw.send(new GetMetricDataCommand({ StartTime: minute(5), EndTime: minute(0), MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS()) *' }] })),
    );
    // On the wire the code is ValidationError; SDK v3 names such errors ValidationException.
    expect(expression).toMatchObject({ name: 'ValidationException', Code: 'ValidationError', status: 400 });
    expect(expression.message).toBe('Error in expression e: Unexpected end of expression.');
    const tooMany = await failure(
      cw.send(new GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'm', StartTime: new Date(Date.now() - 2 * 86400_000), EndTime: minute(0), Period: 60, Statistics: ['Sum'] })),
    );
    expect(tooMany.message).toContain('which exceeds the limit of 1440');
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text without a signature', async () => {
    const res = await fetch(`${nimbus.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE nimbus_lambda_invocations_total counter');
    expect(text).toContain('# TYPE nimbus_lambda_duration_seconds histogram');
    expect(text).toMatch(/^nimbus_process_resident_memory_bytes \d+/m);
  });
});
