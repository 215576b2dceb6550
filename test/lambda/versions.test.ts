/**
 * Versions through the real @aws-sdk/client-lambda against a real server: PublishVersion and
 * its preconditions, ListVersionsByFunction, qualifiers and qualified ARNs on get, invoke and
 * delete, Publish on create and code update, numbers never reused, state kept across restart.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
const HANDLER = `exports.handler = async (event, context) => ({
  color: process.env.COLOR,
  version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  arn: context.invokedFunctionArn,
});`;

let nimbus: NimbusProcess;
let zip: Buffer;

beforeAll(async () => {
  nimbus = await startNimbus();
  zip = await makeZip({ 'index.js': HANDLER });
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'ver',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: zip },
      Environment: { Variables: { COLOR: 'blue' } },
    }),
  );
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

async function invoke(extra: { FunctionName: string; Qualifier?: string }) {
  const out = await nimbus.lambda.send(new InvokeCommand({ Payload: Buffer.from('{}'), ...extra }));
  return { executed: out.ExecutedVersion, error: out.FunctionError, ...JSON.parse(Buffer.from(out.Payload!).toString('utf8')) };
}

const versionsOf = async (name: string) =>
  (await nimbus.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions!.map((v) => v.Version);

describe('PublishVersion', () => {
  it('snapshots $LATEST as version 1 (201, qualified ARN)', async () => {
    const latest = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver' }));
    const v1 = await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', CodeSha256: latest.CodeSha256, RevisionId: latest.RevisionId }));
    expect(v1.$metadata.httpStatusCode).toBe(201);
    expect(v1).toMatchObject({
      FunctionName: 'ver',
      FunctionArn: `${ARN}:ver:1`,
      Version: '1',
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      Environment: { Variables: { COLOR: 'blue' } },
      State: 'Active',
    });
    expect(v1.RevisionId).not.toBe(latest.RevisionId);
    // Publishing gives $LATEST a new RevisionId, as Lambda does.
    const after = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver' }));
    expect(after.RevisionId).not.toBe(latest.RevisionId);
  });

  it('returns the last version when nothing changed since it was published', async () => {
    const again = await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }));
    expect(again.Version).toBe('1');
    expect(await versionsOf('ver')).toEqual(['$LATEST', '1']);
  });

  it('refuses a stale CodeSha256 or RevisionId and publishes nothing', async () => {
    const sha = await failure(() => nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', CodeSha256: 'AAAA' })));
    expect(sha).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(sha.message).toMatch(/^CodeSHA256 \(AAAA\) is different from current CodeSHA256 in \$LATEST/);
    const rev = await failure(() =>
      nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', RevisionId: '00000000-0000-0000-0000-000000000000' })),
    );
    expect(rev).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    expect(await versionsOf('ver')).toEqual(['$LATEST', '1']);
  });

  it('publishes version 2 after a change, with its own Description', async () => {
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ver', Environment: { Variables: { COLOR: 'green' } } }));
    const v2 = await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', Description: 'second' }));
    expect(v2).toMatchObject({ Version: '2', Description: 'second', Environment: { Variables: { COLOR: 'green' } } });
    const latest = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver' }));
    expect(latest.Description).toBe('');
  });
});

describe('qualifiers', () => {
  it('gets a version by Qualifier and by qualified ARN; versions are immutable', async () => {
    const one = await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'ver', Qualifier: '1' }));
    expect(one.Configuration).toMatchObject({ Version: '1', FunctionArn: `${ARN}:ver:1`, Environment: { Variables: { COLOR: 'blue' } } });
    expect(one.Code?.Location).toBeTruthy();
    const two = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${ARN}:ver:2` }));
    expect(two).toMatchObject({ Version: '2', Environment: { Variables: { COLOR: 'green' } } });
    const latest = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver', Qualifier: '$LATEST' }));
    expect(latest).toMatchObject({ Version: '$LATEST', FunctionArn: `${ARN}:ver:$LATEST` });
  });

  it('invokes the version asked for and reports it in X-Amz-Executed-Version', async () => {
    expect(await invoke({ FunctionName: 'ver', Qualifier: '1' })).toEqual({ executed: '1', color: 'blue', version: '1', arn: `${ARN}:ver:1` });
    expect(await invoke({ FunctionName: 'ver:2' })).toEqual({ executed: '2', color: 'green', version: '2', arn: `${ARN}:ver:2` });
    expect(await invoke({ FunctionName: `${ARN}:ver` })).toEqual({ executed: '$LATEST', color: 'green', version: '$LATEST', arn: `${ARN}:ver` });
  });

  it('answers 404 for a version that does not exist, and refuses a qualifier that disagrees with the ARN', async () => {
    const missing = await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'ver', Qualifier: '9' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${ARN}:ver:9` });
    expect((await failure(() => invoke({ FunctionName: 'ver', Qualifier: '9' }))).status).toBe(404);
    expect((await failure(() => invoke({ FunctionName: 'ver:1', Qualifier: '2' }))).name).toBe('InvalidParameterValueException');
  });

  it('lists versions in pages, $LATEST first, every ARN qualified', async () => {
    const first = await nimbus.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver', MaxItems: 2 }));
    expect(first.Versions!.map((v) => [v.Version, v.FunctionArn])).toEqual([
      ['$LATEST', `${ARN}:ver:$LATEST`],
      ['1', `${ARN}:ver:1`],
    ]);
    const rest = await nimbus.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver', MaxItems: 2, Marker: first.NextMarker }));
    expect(rest.Versions!.map((v) => v.Version)).toEqual(['2']);
    expect(rest.NextMarker).toBeUndefined();
    expect((await failure(() => nimbus.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'nope' })))).status).toBe(404);
  });
});

describe('deleting versions', () => {
  it('deletes one version; its number is never reused', async () => {
    const del = await nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '2' }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect((await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'ver:2' })))).status).toBe(404);
    expect((await failure(() => invoke({ FunctionName: 'ver', Qualifier: '2' }))).status).toBe(404);
    expect((await failure(() => nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '2' })))).status).toBe(404);
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ver', Environment: { Variables: { COLOR: 'red' } } }));
    expect((await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }))).Version).toBe('3');
    expect(await versionsOf('ver')).toEqual(['$LATEST', '1', '3']);
    expect((await invoke({ FunctionName: 'ver', Qualifier: '1' })).color).toBe('blue');
  });

  it('refuses to delete $LATEST alone', async () => {
    const err = await failure(() => nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '$LATEST' })));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', message: '$LATEST version cannot be deleted without deleting the function.' });
  });
});

describe('Publish on CreateFunction and UpdateFunctionCode', () => {
  it('publishes version 1 on create and the next on a code update', async () => {
    const created = await nimbus.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'ver-pub', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, Publish: true }),
    );
    expect(created).toMatchObject({ Version: '1', FunctionArn: `${ARN}:ver-pub` });
    const newZip = await makeZip({ 'index.js': `${HANDLER}\n// v2` });
    const updated = await nimbus.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'ver-pub', ZipFile: newZip, Publish: true }));
    expect(updated).toMatchObject({ Version: '2', FunctionArn: `${ARN}:ver-pub:2`, CodeSha256: createHash('sha256').update(newZip).digest('base64') });
    expect(await versionsOf('ver-pub')).toEqual(['$LATEST', '1', '2']);
    expect((await invoke({ FunctionName: 'ver-pub', Qualifier: '2' })).executed).toBe('2');
  });
});

describe('after a restart', () => {
  it('still has every version, and the counter goes on', async () => {
    await nimbus.stop();
    nimbus = await startNimbus({ dataDir: nimbus.dataDir });
    expect(await versionsOf('ver')).toEqual(['$LATEST', '1', '3']);
    expect((await invoke({ FunctionName: 'ver', Qualifier: '3' })).color).toBe('red');
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ver', Timeout: 5 }));
    expect((await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }))).Version).toBe('4');
  });
});
