/**
 * An in-process call between two services, through the real server and SDKs: a CloudWatch
 * alarm whose action is a Lambda function invokes it (asynchronously, as CloudWatch's service
 * principal) when its state changes, with the event AWS sends; the function's log shows the
 * event arrived, and the alarm's history records the action.
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, REGION, removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
let cw: CloudWatchClient;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:on-alarm';

beforeAll(async () => {
  nimbus = await startNimbus();
  cw = new CloudWatchClient({ endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'on-alarm',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': "exports.handler = async (e) => { console.log('ALARM-EVENT', JSON.stringify(e)); };" }) },
    }),
  );
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

describe('CloudWatch alarm actions call Lambda in-process', () => {
  it('invokes the function with the alarm event when the alarm changes state, and records the action', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'page-me',
        AlarmDescription: 'wakes the on-call function',
        Namespace: 'App',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [FUNCTION_ARN],
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'page-me', StateValue: 'ALARM', StateReason: 'drill' }));

    const line = await poll(
      async () => {
        const out = await nimbus.logsClient
          .send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/on-alarm', filterPattern: '"ALARM-EVENT"' }))
          .catch((err) => (err.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(err)));
        return out.events?.[0]?.message;
      },
      15_000,
      'the alarm event in the function log',
    );
    const event = JSON.parse(line.slice(line.indexOf('ALARM-EVENT ') + 12));
    expect(event).toMatchObject({
      source: 'aws.cloudwatch',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:page-me',
      accountId: '000000000000',
      region: 'us-east-1',
      alarmData: {
        alarmName: 'page-me',
        state: { value: 'ALARM', reason: 'drill' },
        previousState: { value: 'INSUFFICIENT_DATA' },
        configuration: { description: 'wakes the on-call function', metrics: [{ metricStat: { metric: { namespace: 'App', name: 'Errors' }, period: 60, stat: 'Sum' } }] },
      },
    });

    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'page-me', HistoryItemType: 'Action' }))).AlarmHistoryItems!;
    expect(history.map((h) => h.HistorySummary)).toEqual([`Successfully executed action ${FUNCTION_ARN}`]);
    expect(JSON.parse(history[0]!.HistoryData!)).toMatchObject({ actionState: 'Succeeded', notificationResource: FUNCTION_ARN });
  });
});
