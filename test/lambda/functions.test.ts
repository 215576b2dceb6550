/**
 * The function lifecycle through the real @aws-sdk/client-lambda against a real server:
 * create, read, list, update, delete, account settings, and the errors AWS gives for bad input.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
let zip: Buffer;
const HANDLER = 'exports.handler = async (event) => ({ ok: true, event });';

beforeAll(async () => {
  nimbus = await startNimbus();
  zip = await makeZip({ 'index.js': HANDLER });
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

const create = (name: string, extra: Record<string, unknown> = {}) =>
  nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, ...extra }),
  );

/** Runs `fn` and returns the AWS error it threw (name, status, message). */
async function failure(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err: any) {
    return { name: err.name as string, status: err.$metadata?.httpStatusCode as number, message: err.message as string, error: err };
  }
  throw new Error('expected the call to fail');
}

describe('function lifecycle', () => {
  it('creates a function and reports it the way the SDK waiters expect', async () => {
    const created = await create('lifecycle', {
      Description: 'hello',
      MemorySize: 256,
      Timeout: 10,
      Environment: { Variables: { GREETING: 'hi' } },
      EphemeralStorage: { Size: 1024 },
      Architectures: ['arm64'],
    });
    expect(created).toMatchObject({
      FunctionName: 'lifecycle',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:lifecycle',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Description: 'hello',
      MemorySize: 256,
      Timeout: 10,
      Version: '$LATEST',
      Environment: { Variables: { GREETING: 'hi' } },
      EphemeralStorage: { Size: 1024 },
      Architectures: ['arm64'],
      PackageType: 'Zip',
      CodeSize: zip.length,
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
    });
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    const waited = await waitUntilFunctionActiveV2({ client: nimbus.lambda, maxWaitTime: 10 }, { FunctionName: 'lifecycle' });
    expect(waited.state).toBe('SUCCESS');
    const config = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful', RevisionId: created.RevisionId });
  });

  it("serves the deployment package at GetFunction's Code.Location", async () => {
    const got = await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'lifecycle' }));
    expect(got.Code?.RepositoryType).toBe('S3');
    const res = await fetch(got.Code!.Location!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(zip);
    const tampered = await fetch(got.Code!.Location!.replace(/Signature=[0-9a-f]/, 'Signature=g'));
    expect(tampered.status).toBe(403);
  });

  it('accepts the function by name, partial ARN and full ARN', async () => {
    for (const ref of ['lifecycle', '000000000000:function:lifecycle', 'arn:aws:lambda:us-east-1:000000000000:function:lifecycle', 'lifecycle:$LATEST']) {
      const got = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref }));
      expect(got.FunctionName).toBe('lifecycle');
    }
  });

  it('updates configuration and code, with a new revision each time', async () => {
    const before = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    const updated = await nimbus.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'lifecycle', Timeout: 20, Environment: { Variables: { AB: '1' } } }),
    );
    expect(updated).toMatchObject({ Timeout: 20, MemorySize: 256, Environment: { Variables: { AB: '1' } } });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    await waitUntilFunctionUpdatedV2({ client: nimbus.lambda, maxWaitTime: 10 }, { FunctionName: 'lifecycle' });
    const newZip = await makeZip({ 'index.js': HANDLER + '\n// v2' });
    const code = await nimbus.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'lifecycle', ZipFile: newZip }));
    expect(code.CodeSha256).toBe(createHash('sha256').update(newZip).digest('base64'));
    expect(code.RevisionId).not.toBe(updated.RevisionId);
    expect(code.Timeout).toBe(20);
  });

  it('refuses an update whose RevisionId is stale (412) and changes nothing', async () => {
    const err = await failure(() =>
      nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'lifecycle', Timeout: 30, RevisionId: '00000000-0000-0000-0000-000000000000' })),
    );
    expect(err).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    const config = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(config.Timeout).toBe(20);
  });

  it('lists functions in pages with Marker and MaxItems', async () => {
    for (const n of ['list-a', 'list-b', 'list-c']) await create(n);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await nimbus.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      expect(page.Functions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Functions!.map((f) => f.FunctionName!));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    expect(seen).toEqual(expect.arrayContaining(['lifecycle', 'list-a', 'list-b', 'list-c']));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('reports account limits and usage', async () => {
    const settings = await nimbus.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toMatchObject({ CodeSizeZipped: 52428800, CodeSizeUnzipped: 262144000, ConcurrentExecutions: 1000 });
    expect(settings.AccountUsage!.FunctionCount).toBeGreaterThanOrEqual(4);
    expect(settings.AccountUsage!.TotalCodeSize).toBeGreaterThan(0);
  });

  it('deletes a function; then it is not found', async () => {
    await nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'list-c' }));
    const err = await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'list-c' })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(err.message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:list-c');
    const again = await failure(() => nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'list-c' })));
    expect(again.name).toBe('ResourceNotFoundException');
  });
});

describe('bad input gets AWS errors and changes nothing', () => {
  it('refuses a second function with the same name (409)', async () => {
    await create('dupe');
    const err = await failure(() => create('dupe'));
    expect(err).toMatchObject({ name: 'ResourceConflictException', status: 409, message: 'Function already exist: dupe' });
  });

  it('refuses a blob that is not a zip', async () => {
    const err = await failure(() =>
      nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: 'notzip', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: Buffer.from('hello') } })),
    );
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(err.message).toMatch(/Could not unzip uploaded file/);
    expect((await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'notzip' })))).name).toBe('ResourceNotFoundException');
  });

  it('refuses an unknown runtime', async () => {
    const err = await failure(() => create('badruntime', { Runtime: 'nodejs4.3' }));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(err.message).toMatch(/Value nodejs4.3 at 'runtime' failed to satisfy constraint/);
  });

  it('refuses out-of-range memory, timeout and ephemeral storage', async () => {
    const memory = await failure(() => create('badmem', { MemorySize: 64 }));
    expect(memory).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(memory.message).toMatch(/Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/);
    expect((await failure(() => create('badmem', { MemorySize: 10241 }))).name).toBe('InvalidParameterValueException');
    const timeout = await failure(() => create('badtimeout', { Timeout: 901 }));
    expect(timeout).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect((await failure(() => create('badtimeout', { Timeout: 0 }))).name).toBe('ValidationException');
    expect((await failure(() => create('badtmp', { EphemeralStorage: { Size: 100 } }))).name).toBe('ValidationException');
  });

  it('refuses environment variables over 4 KB and reserved keys', async () => {
    const big = await failure(() => create('bigenv', { Environment: { Variables: { BIG: 'x'.repeat(4100) } } }));
    expect(big).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(big.message).toMatch(/exceeded the 4KB limit/);
    const reserved = await failure(() => create('reservedenv', { Environment: { Variables: { AWS_REGION: 'x' } } }));
    expect(reserved.message).toMatch(/Reserved keys used in this request: AWS_REGION/);
  });

  it('refuses bad names and handlers', async () => {
    expect((await failure(() => create('has space'))).name).toBe('ValidationException');
    expect((await failure(() => create('x'.repeat(65)))).name).toBe('ValidationException');
    expect((await failure(() => create('nohandler', { Handler: undefined }))).name).toBe('InvalidParameterValueException');
    expect((await failure(() => create('badhandler', { Handler: 'has space' }))).name).toBe('ValidationException');
  });

  it('checks DeadLetterConfig targets: SQS queues and SNS topics only; an empty one removes it on update', async () => {
    const empty = await failure(() => create('dlqempty', { DeadLetterConfig: { TargetArn: '' } }));
    expect(empty).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(empty.message).toBe("Invalid dead letter queue ARN: ARNs must start with 'arn:'");
    const bucket = await failure(() => create('dlqbucket', { DeadLetterConfig: { TargetArn: 'arn:aws:s3:::a-bucket' } }));
    expect(bucket.message).toBe('Invalid dead letter queue ARN: arn:aws:s3:::a-bucket. The dead letter queue must be an SQS queue or an SNS topic.');
    const elsewhere = await failure(() => create('dlqregion', { DeadLetterConfig: { TargetArn: 'arn:aws:sqs:eu-west-1:000000000000:dlq' } }));
    expect(elsewhere).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(elsewhere.message).toMatch(/must be in the function's region, us-east-1/);
    const queue = 'arn:aws:sqs:us-east-1:000000000000:dlq';
    await create('dlqok', { DeadLetterConfig: { TargetArn: queue } });
    const get = () => nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'dlqok' }));
    expect((await get()).DeadLetterConfig).toEqual({ TargetArn: queue });
    await waitUntilFunctionActiveV2({ client: nimbus.lambda, maxWaitTime: 30 }, { FunctionName: 'dlqok' });
    const topic = 'arn:aws:sns:us-east-1:000000000000:dlq-topic';
    const update = (TargetArn: string) =>
      nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'dlqok', DeadLetterConfig: { TargetArn } }));
    expect((await failure(() => update('arn:aws:sqs:us-east-1:000000000000:'))).name).toBe('InvalidParameterValueException');
    await update(topic);
    expect((await get()).DeadLetterConfig).toEqual({ TargetArn: topic });
    await waitUntilFunctionUpdatedV2({ client: nimbus.lambda, maxWaitTime: 30 }, { FunctionName: 'dlqok' });
    await update('');
    expect((await get()).DeadLetterConfig).toBeUndefined();
  });

  it('answers 404 for an unknown function or version', async () => {
    expect((await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })))).status).toBe(404);
    expect((await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'dupe', Qualifier: '7' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});
