/**
 * CloudWatch metric alarms through the real SDK v3 client (json and query protocols) and the
 * aws CLI against a real server that evaluates alarms every 200 ms (NIMBUS_ALARM_EVALUATION_MS):
 * data put in recent minutes drives an alarm to ALARM, a new threshold brings it back to OK,
 * SetAlarmState holds only until the next evaluation, and history records all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, hasAwsCliV2 } from '../support/server/aws-cli.js';
import { CREDENTIALS, REGION, removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';

let nimbus: NimbusProcess;
let cw: CloudWatchClient;
let query: CloudWatchClient;

beforeAll(async () => {
  nimbus = await startNimbus({ env: { NIMBUS_ALARM_EVALUATION_MS: '200' } });
  const config = { endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  cw = new CloudWatchClient(config);
  query = new CloudWatchClient({ ...config, protocol: AwsQueryProtocol } as never);
});

afterAll(async () => {
  await nimbus?.stop();
  if (nimbus) removeDataDir(nimbus.dataDir);
});

/** The error a call fails with. SDK v3 names CloudWatch's unmodeled `ValidationError` ValidationException; `Code` keeps the wire's code. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; Code?: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, Code: e.Code, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const NS = 'Nimbus/AlarmTest';
const DIMS = [{ Name: 'Stage', Value: 'prod' }];
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:on-call';
// Whole minutes a little in the past: the evaluation range (N + 2 periods) still covers them if
// a minute boundary passes during the test.
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const minute = (n: number) => new Date(BASE - n * 60_000);

const alarmInput = (name: string, overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  Namespace: NS,
  MetricName: 'Latency',
  Dimensions: DIMS,
  Statistic: 'Maximum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold',
  ...overrides,
});

const describeOne = async (name: string): Promise<MetricAlarm> => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!;
const stateOf = (name: string, state: string) => poll(async () => ((await describeOne(name)).StateValue === state ? describeOne(name) : undefined), 10_000, `${name} in ${state}`, 50);

describe('CloudWatch alarms', () => {
  beforeAll(async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: NS,
        MetricData: [1, 2, 3].map((n) => ({ MetricName: 'Latency', Dimensions: DIMS, Timestamp: minute(n), Values: [2, 10], Unit: 'Milliseconds' })),
      }),
    );
  });

  it('starts new alarms unchecked, evaluates them on the stored metric, and keeps the history', async () => {
    // No data and TreatMissingData ignore: the state stays as created, whatever the evaluations.
    await cw.send(new PutMetricAlarmCommand(alarmInput('quiet', { MetricName: 'Nothing', TreatMissingData: 'ignore' })));
    const quiet = await describeOne('quiet');
    expect(quiet).toMatchObject({
      AlarmName: 'quiet',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:quiet',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      ActionsEnabled: true,
      Dimensions: DIMS,
      Period: 60,
      Threshold: 5,
    });
    expect(quiet.StateUpdatedTimestamp).toBeInstanceOf(Date);

    await cw.send(new PutMetricAlarmCommand(alarmInput('latency', { AlarmDescription: 'slow', AlarmActions: [TOPIC], OKActions: [TOPIC], Tags: [{ Key: 'team', Value: 'a' }] })));
    const alarm = await stateOf('latency', 'ALARM');
    expect(alarm.StateReason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[10\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than the threshold \(5\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$/);
    const data = JSON.parse(alarm.StateReasonData!);
    expect(data).toMatchObject({ version: '1.0', statistic: 'Maximum', period: 60, threshold: 5, recentDatapoints: [10] });
    expect(data.evaluatedDatapoints[0]).toMatchObject({ sampleCount: 2, value: 10 });

    // An update replaces the configuration and keeps the state; the next evaluation moves it.
    await cw.send(new PutMetricAlarmCommand(alarmInput('latency', { AlarmActions: [TOPIC], OKActions: [TOPIC], Threshold: 50 })));
    const ok = await stateOf('latency', 'OK');
    expect(ok.StateReason).toMatch(/datapoints \[10\.0 \(.*\)\] was not greater than the threshold \(50\.0\) \(minimum 1 datapoint for ALARM -> OK transition\)\.$/);
    expect(ok.AlarmDescription).toBeUndefined();

    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'latency', ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!;
    expect(history.map((h) => [h.HistoryItemType, h.HistorySummary])).toEqual([
      ['ConfigurationUpdate', 'Alarm "latency" created'],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['Action', `Action pending delivery: ${TOPIC}`],
      ['ConfigurationUpdate', 'Alarm "latency" updated'],
      ['StateUpdate', 'Alarm updated from ALARM to OK'],
      ['Action', `Action pending delivery: ${TOPIC}`],
    ]);
    expect(history.every((h) => h.AlarmName === 'latency' && h.AlarmType === 'MetricAlarm' && h.Timestamp instanceof Date)).toBe(true);
    const created = JSON.parse(history[0]!.HistoryData!);
    expect(created).toMatchObject({ version: '1.0', type: 'Create', createdAlarm: { alarmName: 'latency', alarmDescription: 'slow', threshold: 5, alarmActions: [TOPIC] } });
    expect(JSON.parse(history[3]!.HistoryData!)).toMatchObject({ type: 'Update', updatedAlarm: { threshold: 50 }, originalAlarm: { threshold: 5 } });
    expect(JSON.parse(history[1]!.HistoryData!).newState).toMatchObject({ stateValue: 'ALARM', stateReasonData: { version: '1.0' } });
    expect(JSON.parse(history[2]!.HistoryData!)).toMatchObject({ actionState: 'Pending', notificationResource: TOPIC });

    // Filters and paging, newest first by default.
    const states = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'latency', HistoryItemType: 'StateUpdate' }))).AlarmHistoryItems!;
    expect(states.map((h) => h.HistorySummary)).toEqual(['Alarm updated from ALARM to OK', 'Alarm updated from INSUFFICIENT_DATA to ALARM']);
    const first = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'latency', MaxRecords: 4 }));
    expect(first.AlarmHistoryItems).toHaveLength(4);
    const rest = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'latency', MaxRecords: 4, NextToken: first.NextToken }));
    expect(rest.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm "latency" created']);
    expect(rest.NextToken).toBeUndefined();
    const future = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'latency', StartDate: new Date(Date.now() + 3600_000) }));
    expect(future.AlarmHistoryItems).toEqual([]);
  });

  it('holds a state set by SetAlarmState only until the next evaluation', async () => {
    await cw.send(new PutMetricAlarmCommand(alarmInput('manual', { Threshold: 50 })));
    await stateOf('manual', 'OK');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'testing the pager', StateReasonData: '{"why":"drill"}' }));
    await stateOf('manual', 'OK');
    const summaries = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'manual', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!;
    expect(summaries.map((h) => h.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
    expect(JSON.parse(summaries[1]!.HistoryData!).newState).toEqual({ stateValue: 'ALARM', stateReason: 'testing the pager', stateReasonData: { why: 'drill' } });

    // Where evaluation keeps the state (no data, TreatMissingData ignore), it stays as set.
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'quiet', StateValue: 'ALARM', StateReason: 'by hand' }));
    expect(await describeOne('quiet')).toMatchObject({ StateValue: 'ALARM', StateReason: 'by hand' });
  });

  it('evaluates missing data, M out of N and percentiles as configured', async () => {
    await cw.send(new PutMetricAlarmCommand(alarmInput('silence', { MetricName: 'Heartbeat', TreatMissingData: 'breaching' })));
    expect((await stateOf('silence', 'ALARM')).StateReason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].',
    );
    await cw.send(new PutMetricAlarmCommand(alarmInput('unknown', { MetricName: 'Heartbeat' })));
    expect((await stateOf('unknown', 'INSUFFICIENT_DATA')).StateReason).toBe('Unchecked: Initial alarm creation');
    await cw.send(new PutMetricAlarmCommand(alarmInput('two-of-three', { EvaluationPeriods: 3, DatapointsToAlarm: 2, Statistic: 'Minimum', Threshold: 1 })));
    expect((await stateOf('two-of-three', 'ALARM')).DatapointsToAlarm).toBe(2);
    await cw.send(new PutMetricAlarmCommand(alarmInput('p90', { Statistic: undefined, ExtendedStatistic: 'p90', Threshold: 9, Unit: 'Milliseconds' })));
    const p90 = await stateOf('p90', 'ALARM');
    expect(p90).toMatchObject({ ExtendedStatistic: 'p90', Unit: 'Milliseconds' });
    expect(p90.Statistic).toBeUndefined();
    // A unit the data was not published in finds no data.
    await cw.send(new PutMetricAlarmCommand(alarmInput('wrong-unit', { Unit: 'Seconds', TreatMissingData: 'notBreaching' })));
    expect((await stateOf('wrong-unit', 'OK')).StateReason).toContain('[NonBreaching]');
  });

  it('lists, filters and pages alarms, finds them by metric, switches actions and deletes', async () => {
    for (const name of ['list-a', 'list-b', 'list-c']) {
      await cw.send(new PutMetricAlarmCommand(alarmInput(name, { MetricName: 'Listed', AlarmActions: name === 'list-b' ? [`${TOPIC}-b`] : [], TreatMissingData: 'ignore' })));
    }
    const names = (alarms?: MetricAlarm[]) => (alarms ?? []).map((a) => a.AlarmName);
    expect(names((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'list-' }))).MetricAlarms)).toEqual(['list-a', 'list-b', 'list-c']);
    const page = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'list-', MaxRecords: 2 }));
    expect(names(page.MetricAlarms)).toEqual(['list-a', 'list-b']);
    expect(names((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'list-', MaxRecords: 2, NextToken: page.NextToken }))).MetricAlarms)).toEqual(['list-c']);
    expect(names((await cw.send(new DescribeAlarmsCommand({ ActionPrefix: `${TOPIC}-` }))).MetricAlarms)).toEqual(['list-b']);
    expect(names((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'list-', StateValue: 'ALARM' }))).MetricAlarms)).toEqual([]);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }))).MetricAlarms).toEqual([]);
    const byMetric = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: NS, MetricName: 'Listed', Dimensions: DIMS }));
    expect(names(byMetric.MetricAlarms)).toEqual(['list-a', 'list-b', 'list-c']);
    expect((await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: NS, MetricName: 'Listed' }))).MetricAlarms).toEqual([]);

    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['list-b', 'no-such-alarm'] }));
    expect((await describeOne('list-b')).ActionsEnabled).toBe(false);
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['list-b'] }));
    expect((await describeOne('list-b')).ActionsEnabled).toBe(true);

    // Names that match nothing are skipped; the history outlives the alarm.
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['list-a', 'list-b', 'no-such-alarm'] }));
    expect(names((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'list-' }))).MetricAlarms)).toEqual(['list-c']);
    const deleted = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'list-a', HistoryItemType: 'ConfigurationUpdate' }))).AlarmHistoryItems!;
    expect(deleted[0]).toMatchObject({ HistorySummary: 'Alarm "list-a" deleted' });
    expect(JSON.parse(deleted[0]!.HistoryData!)).toMatchObject({ type: 'Delete', deletedAlarm: { alarmName: 'list-a' } });
  });

  it('speaks the query protocol too', async () => {
    await query.send(new PutMetricAlarmCommand(alarmInput('over-query', { Threshold: 50, OKActions: [TOPIC] })));
    const ok = await poll(async () => {
      const a = (await query.send(new DescribeAlarmsCommand({ AlarmNames: ['over-query'] }))).MetricAlarms![0]!;
      return a.StateValue === 'OK' ? a : undefined;
    }, 10_000, 'over-query in OK', 50);
    expect(ok).toMatchObject({ AlarmName: 'over-query', OKActions: [TOPIC], Dimensions: DIMS, Threshold: 50, EvaluationPeriods: 1 });
    const history = await query.send(new DescribeAlarmHistoryCommand({ AlarmName: 'over-query', HistoryItemType: 'Action' }));
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual([`Action pending delivery: ${TOPIC}`]);
    const missing = await failure(query.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFound', status: 404, message: 'Alarm nope does not exist.' });
  });

  it('answers bad input with CloudWatch errors', async () => {
    const put = (overrides: Partial<PutMetricAlarmCommandInput>) => failure(cw.send(new PutMetricAlarmCommand(alarmInput('bad', overrides))));
    expect(await put({ MetricName: undefined })).toMatchObject({ Code: 'ValidationError', status: 400, message: 'MetricName must not be null' });
    expect(await put({ DatapointsToAlarm: 2 })).toMatchObject({ Code: 'ValidationError', message: 'DatapointsToAlarm must be less than or equal to EvaluationPeriods' });
    expect(await put({ ExtendedStatistic: 'p99' })).toMatchObject({ name: 'InvalidParameterCombinationException' });
    expect(await put({ Statistic: undefined })).toMatchObject({ Code: 'ValidationError' });
    expect(await put({ Period: 45 })).toMatchObject({ name: 'InvalidParameterValueException' });
    expect((await put({ EvaluationPeriods: 1441 })).message).toContain('86400');
    expect(await put({ ComparisonOperator: 'Bogus' as never })).toMatchObject({
      Code: 'ValidationError',
      message: expect.stringMatching(/^1 validation error detected: Value 'Bogus' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: \[GreaterThanOrEqualToThreshold, /),
    });
    expect(await put({ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' })).toMatchObject({ Code: 'ValidationError' });
    expect(await put({ Statistic: 'Median' as never })).toMatchObject({ Code: 'ValidationError' });
    expect(await put({ ExtendedStatistic: 'tm90', Statistic: undefined })).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(await put({ TreatMissingData: 'sometimes' })).toMatchObject({ name: 'InvalidParameterValueException', message: 'The value sometimes for parameter TreatMissingData is invalid.' });
    expect(await put({ AlarmActions: ['not-an-arn'] })).toMatchObject({ Code: 'ValidationError', message: 'Invalid arn syntax: not-an-arn' });
    const math = await put({ MetricName: undefined, Namespace: undefined, Statistic: undefined, Period: undefined, Dimensions: undefined, Metrics: [{ Id: 'e1', Expression: 'm1 * 2' }] });
    expect(math).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(math.message).toContain('not supported');
    expect((await put({ AlarmName: 'x'.repeat(256) })).status).toBe(400);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['bad'] }))).MetricAlarms).toEqual([]);

    expect(await failure(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })))).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    expect(await failure(cw.send(new SetAlarmStateCommand({ AlarmName: 'quiet', StateValue: 'OK', StateReason: 'x', StateReasonData: '{not json' })))).toMatchObject({ name: 'InvalidFormatFault' });
    expect(await failure(cw.send(new SetAlarmStateCommand({ AlarmName: 'quiet', StateValue: 'MAYBE' as never, StateReason: 'x' })))).toMatchObject({ Code: 'ValidationError' });
    expect(await failure(cw.send(new DescribeAlarmsCommand({ NextToken: '!!' })))).toMatchObject({ name: 'InvalidNextToken' });
    expect(await failure(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })))).toMatchObject({ name: 'InvalidParameterCombinationException' });
    expect((await failure(cw.send(new DeleteAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) })))).status).toBe(400);
  });
});


// npm test installs awscli v2 (scripts/setup.sh); a machine without it skips, with this reason.
describe.skipIf(!hasAwsCliV2)('CloudWatch alarms (aws CLI, query protocol)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'nimbus-alarmcli-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const aws = async (...args: string[]) => (await awsCli(nimbus.url, home, ['cloudwatch', ...args], { AWS_MAX_ATTEMPTS: '1' })).stdout;

  it('puts, describes, sets, reads history and deletes an alarm', async () => {
    await aws('put-metric-alarm', '--alarm-name', 'cli-alarm', '--namespace', NS, '--metric-name', 'Nothing', '--statistic', 'Sum', '--period', '60',
      '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanOrEqualToThreshold', '--treat-missing-data', 'ignore',
      '--alarm-actions', TOPIC, '--dimensions', 'Name=Stage,Value=prod');
    const described = JSON.parse(await aws('describe-alarms', '--alarm-names', 'cli-alarm'));
    expect(described.MetricAlarms).toHaveLength(1);
    expect(described.MetricAlarms[0]).toMatchObject({ AlarmName: 'cli-alarm', StateValue: 'INSUFFICIENT_DATA', AlarmActions: [TOPIC], Dimensions: DIMS, Threshold: 1.0 });
    await aws('set-alarm-state', '--alarm-name', 'cli-alarm', '--state-value', 'ALARM', '--state-reason', 'from the CLI');
    const history = JSON.parse(await aws('describe-alarm-history', '--alarm-name', 'cli-alarm', '--history-item-type', 'StateUpdate'));
    expect(history.AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);
    await aws('delete-alarms', '--alarm-names', 'cli-alarm');
    expect(JSON.parse(await aws('describe-alarms', '--alarm-names', 'cli-alarm')).MetricAlarms).toEqual([]);
  });
});
