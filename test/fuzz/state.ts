/**
 * The resources the fuzzed server holds before the run, and a fingerprint of everything a
 * malformed request could have changed, read through the list and describe APIs: functions with
 * their versions, aliases, tags, policy, concurrency, URL and invoke configurations; layers; log
 * groups with tags and streams (their sizes and last events); metrics; alarms and their history.
 */
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetPolicyCommand,
  ListAliasesCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { CREDENTIALS, REGION, ROLE, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

/** Names of what the server holds; the value generator aims at them. */
export const FIXTURES = {
  functionName: 'fuzz-fn',
  alias: 'live',
  layerName: 'fuzz-layer',
  statementId: 'fuzz-stmt',
  logGroup: 'fuzz-group',
  logStream: 'fuzz-stream',
  namespace: 'Fuzz/App',
  metric: 'Jobs',
  alarm: 'fuzz-alarm',
} as const;

/** A CloudWatch client for a server (the helper has Lambda's and Logs' already). */
export const cloudWatchClient = (nimbus: NimbusProcess) =>
  new CloudWatchClient({ endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });

/** Creates every fixture, through the SDKs, as a user would. */
export async function createFixtures(nimbus: NimbusProcess, cw: CloudWatchClient): Promise<void> {
  const { lambda, logsClient: logs } = nimbus;
  const zip = await makeZip({ 'index.js': 'exports.handler = async () => 1;' });
  const fn = FIXTURES.functionName;
  await lambda.send(new CreateFunctionCommand({ FunctionName: fn, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, Tags: { team: 'fuzz' } }));
  await lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: FIXTURES.alias, FunctionVersion: '1' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: fn, StatementId: FIXTURES.statementId, Action: 'lambda:InvokeFunction', Principal: '000000000000' }));
  await lambda.send(new PublishLayerVersionCommand({ LayerName: FIXTURES.layerName, Content: { ZipFile: zip }, CompatibleRuntimes: ['nodejs20.x'] }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: FIXTURES.logGroup, tags: { team: 'fuzz' } }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: FIXTURES.logGroup, logStreamName: FIXTURES.logStream }));
  const now = Date.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: FIXTURES.logGroup, logStreamName: FIXTURES.logStream, logEvents: [0, 1, 2].map((i) => ({ timestamp: now - 3 + i, message: `{"n":${i},"level":"INFO"}` })) }));
  await cw.send(new PutMetricDataCommand({ Namespace: FIXTURES.namespace, MetricData: [1, 2, 3].map((v) => ({ MetricName: FIXTURES.metric, Value: v, Unit: 'Count' })) }));
  await cw.send(
    new PutMetricAlarmCommand({ AlarmName: FIXTURES.alarm, Namespace: FIXTURES.namespace, MetricName: FIXTURES.metric, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold' }),
  );
}

/** Everything observable, as one comparable text (request metadata left out). */
export async function fingerprint(nimbus: NimbusProcess, cw: CloudWatchClient): Promise<string> {
  const { lambda, logsClient: logs } = nimbus;
  const state: Record<string, unknown> = {};
  const functions = (await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }))).Functions ?? [];
  state.functions = functions;
  for (const name of new Set(functions.map((f) => f.FunctionName!))) {
    const arn = functions.find((f) => f.FunctionName === name && f.Version === '$LATEST')?.FunctionArn?.replace(/:\$LATEST$/, '');
    state[`fn:${name}`] = {
      aliases: (await lambda.send(new ListAliasesCommand({ FunctionName: name }))).Aliases,
      tags: arn ? (await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags : undefined,
      policy: await lambda.send(new GetPolicyCommand({ FunctionName: name })).then((p) => p.Policy, (e: Error) => e.name),
      concurrency: (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions,
      urls: (await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }))).FunctionUrlConfigs,
      invokeConfigs: (await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }))).FunctionEventInvokeConfigs,
      provisioned: (await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name }))).ProvisionedConcurrencyConfigs,
    };
  }
  const layers = (await lambda.send(new ListLayersCommand({}))).Layers ?? [];
  state.layers = await Promise.all(layers.map(async (l) => [l.LayerName, (await lambda.send(new ListLayerVersionsCommand({ LayerName: l.LayerName! }))).LayerVersions]));
  const groups = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
  state.logGroups = groups;
  for (const g of groups) {
    state[`group:${g.logGroupName}`] = {
      streams: (await logs.send(new DescribeLogStreamsCommand({ logGroupName: g.logGroupName! }))).logStreams,
      tags: (await logs.send(new ListTagsForResourceCommand({ resourceArn: g.logGroupArn! }))).tags,
    };
  }
  state.metrics = (await cw.send(new ListMetricsCommand({}))).Metrics;
  state.alarms = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms;
  state.alarmHistory = (await cw.send(new DescribeAlarmHistoryCommand({}))).AlarmHistoryItems?.length;
  return JSON.stringify(state, (key, value) => (key === '$metadata' ? undefined : value), 1);
}
