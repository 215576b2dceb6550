/**
 * The model's enums, enforced by the edge before any handler runs, through the real SDK v3
 * clients (which do not check enums themselves): a value outside the set is AWS's
 * ValidationException ("Member must satisfy enum value set: [...]"), and nothing is stored.
 * CloudWatch's query-era code for it is ValidationError (x-amzn-query-error, and the query
 * protocol's <Code>); enums a service answers its own way stay the service's (handlerEnums).
 */
import { CloudWatchClient, DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  ListLayersCommand,
  PublishLayerVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, REGION, removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
let zip: Buffer;
let cw: CloudWatchClient;
let cwQuery: CloudWatchClient;

beforeAll(async () => {
  nimbus = await startNimbus();
  zip = await makeZip({ 'index.js': 'exports.handler = async () => 1;' });
  const config = { endpoint: nimbus.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  cw = new CloudWatchClient(config);
  cwQuery = new CloudWatchClient({ ...config, protocol: AwsQueryProtocol } as never);
});
afterAll(async () => {
  await nimbus?.stop();
  if (nimbus) removeDataDir(nimbus.dataDir);
});

async function failure(promise: Promise<unknown>): Promise<{ name: string; Code?: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, Code: e.Code, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const create = (name: string, extra: Record<string, unknown>) =>
  nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, ...extra }));

const enumError = (value: string, at: string, set: string) =>
  `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${set}]`;

describe('Lambda', () => {
  it.each([
    [{ TracingConfig: { Mode: 'Loud' } }, enumError('Loud', 'tracingConfig.mode', 'Active, PassThrough')],
    [{ PackageType: 'Floppy' }, enumError('Floppy', 'packageType', 'Zip, Image')],
    [{ LoggingConfig: { LogFormat: 'XML' } }, enumError('XML', 'loggingConfig.logFormat', 'JSON, Text')],
  ])('CreateFunction refuses %j and creates nothing', async (extra, message) => {
    expect(await failure(create('enum-bad', extra))).toMatchObject({ name: 'ValidationException', status: 400, message });
    expect((await failure(nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'enum-bad' })))).name).toBe('ResourceNotFoundException');
  });

  it('UpdateFunctionConfiguration refuses a bad TracingConfig.Mode and keeps the stored one', async () => {
    await create('enum-kept', { TracingConfig: { Mode: 'Active' } });
    const err = await failure(nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'enum-kept', TracingConfig: { Mode: 'Loud' as never } })));
    expect(err).toMatchObject({ name: 'ValidationException', message: enumError('Loud', 'tracingConfig.mode', 'Active, PassThrough') });
    const config = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'enum-kept' }));
    expect(config.TracingConfig?.Mode).toBe('Active');
  });

  it('PublishLayerVersion refuses CompatibleRuntimes outside the set and publishes nothing', async () => {
    const err = await failure(nimbus.lambda.send(new PublishLayerVersionCommand({ LayerName: 'enum-layer', Content: { ZipFile: zip }, CompatibleRuntimes: ['cobol' as never] })));
    expect(err).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(err.message).toMatch(/^1 validation error detected: Value '\[cobol\]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[nodejs, /);
    expect((await nimbus.lambda.send(new ListLayersCommand({}))).Layers).toEqual([]);
  });

  it("keeps Lambda's own answer for Runtime: InvalidParameterValueException naming Nimbus's runtimes", async () => {
    const err = await failure(create('enum-runtime', { Runtime: 'cobol' }));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(err.message).toMatch(/^Value cobol at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[.*\] or be a valid ARN$/);
  });
});

describe('CloudWatch Logs', () => {
  it('DescribeLogStreams refuses orderBy outside the set', async () => {
    await nimbus.logsClient.send(new CreateLogGroupCommand({ logGroupName: 'enum-group' }));
    const err = await failure(nimbus.logsClient.send(new DescribeLogStreamsCommand({ logGroupName: 'enum-group', orderBy: 'Random' as never })));
    expect(err).toMatchObject({ name: 'ValidationException', status: 400, message: enumError('Random', 'orderBy', 'LogStreamName, LastEventTime') });
  });
});

describe('CloudWatch', () => {
  it.each([
    ['json', () => cw],
    ['query', () => cwQuery],
  ])('answers a bad StateValue with ValidationError over %s', async (_protocol, client) => {
    const message = enumError('MAYBE', 'stateValue', 'OK, ALARM, INSUFFICIENT_DATA');
    expect(await failure(client().send(new DescribeAlarmsCommand({ StateValue: 'MAYBE' as never })))).toMatchObject({ Code: 'ValidationError', status: 400, message });
    expect(await failure(client().send(new SetAlarmStateCommand({ AlarmName: 'none', StateValue: 'MAYBE' as never, StateReason: 'r' })))).toMatchObject({ Code: 'ValidationError', message });
  });
});
