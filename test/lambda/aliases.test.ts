/**
 * Aliases through the real @aws-sdk/client-lambda against a real server: the alias lifecycle,
 * invoking and reading through an alias, weighted routing between two versions, and the bad
 * inputs Lambda refuses, each leaving the aliases as they were.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListAliasesCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
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

beforeAll(async () => {
  nimbus = await startNimbus();
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'al',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': HANDLER }) },
      Environment: { Variables: { COLOR: 'blue' } },
      Publish: true,
    }),
  );
  await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'al', Environment: { Variables: { COLOR: 'green' } } }));
  await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'al' }));
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

async function invoke(FunctionName: string, Qualifier?: string) {
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName, Qualifier, Payload: Buffer.from('{}') }));
  return { executed: out.ExecutedVersion, ...JSON.parse(Buffer.from(out.Payload!).toString('utf8')) };
}

const aliasNames = async () => (await nimbus.lambda.send(new ListAliasesCommand({ FunctionName: 'al' }))).Aliases!.map((a) => `${a.Name}->${a.FunctionVersion}`);

describe('alias lifecycle', () => {
  it('creates an alias (201) and reads it back', async () => {
    const created = await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'al', Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({ AliasArn: `${ARN}:al:live`, Name: 'live', FunctionVersion: '1', Description: 'prod' });
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.RoutingConfig).toBeUndefined();
    const got = await nimbus.lambda.send(new GetAliasCommand({ FunctionName: `${ARN}:al`, Name: 'live' }));
    expect(got).toMatchObject({ AliasArn: created.AliasArn, FunctionVersion: '1', RevisionId: created.RevisionId });
  });

  it('invokes and reads the version the alias points at, with the alias ARN', async () => {
    expect(await invoke('al', 'live')).toEqual({ executed: '1', color: 'blue', version: '1', arn: `${ARN}:al:live` });
    expect(await invoke(`${ARN}:al:live`)).toMatchObject({ executed: '1', arn: `${ARN}:al:live` });
    const fn = await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'al', Qualifier: 'live' }));
    expect(fn.Configuration).toMatchObject({ Version: '1', FunctionArn: `${ARN}:al:live`, Environment: { Variables: { COLOR: 'blue' } } });
  });

  it('lists aliases, optionally only those of one version', async () => {
    await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'al', Name: 'edge', FunctionVersion: '$LATEST' }));
    expect(await aliasNames()).toEqual(['edge->$LATEST', 'live->1']);
    const ofOne = await nimbus.lambda.send(new ListAliasesCommand({ FunctionName: 'al', FunctionVersion: '1' }));
    expect(ofOne.Aliases!.map((a) => a.Name)).toEqual(['live']);
    const page = await nimbus.lambda.send(new ListAliasesCommand({ FunctionName: 'al', MaxItems: 1 }));
    expect(page.Aliases!.map((a) => a.Name)).toEqual(['edge']);
    const next = await nimbus.lambda.send(new ListAliasesCommand({ FunctionName: 'al', MaxItems: 1, Marker: page.NextMarker }));
    expect(next.Aliases!.map((a) => a.Name)).toEqual(['live']);
    expect(await invoke('al', 'edge')).toMatchObject({ executed: '$LATEST', color: 'green' });
  });

  it('updates an alias with RevisionId concurrency (412 when stale)', async () => {
    const before = await nimbus.lambda.send(new GetAliasCommand({ FunctionName: 'al', Name: 'live' }));
    const stale = await failure(() =>
      nimbus.lambda.send(new UpdateAliasCommand({ FunctionName: 'al', Name: 'live', FunctionVersion: '2', RevisionId: '00000000-0000-0000-0000-000000000000' })),
    );
    expect(stale).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    expect(await aliasNames()).toEqual(['edge->$LATEST', 'live->1']);
    const updated = await nimbus.lambda.send(new UpdateAliasCommand({ FunctionName: 'al', Name: 'live', FunctionVersion: '2', RevisionId: before.RevisionId }));
    expect(updated).toMatchObject({ FunctionVersion: '2', Description: 'prod' });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    expect(await invoke('al', 'live')).toMatchObject({ executed: '2', color: 'green', version: '2' });
    const missing = await failure(() => nimbus.lambda.send(new UpdateAliasCommand({ FunctionName: 'al', Name: 'nope', FunctionVersion: '1' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: `Alias not found: ${ARN}:al:nope` });
  });

  it('refuses to delete a version an alias points at (409)', async () => {
    const err = await failure(() => nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'al', Qualifier: '2' })));
    expect(err).toMatchObject({
      name: 'ResourceConflictException',
      status: 409,
      message: 'Unable to delete version because the following aliases reference it: [live]',
    });
    expect((await invoke('al', '2')).executed).toBe('2');
  });

  it('deletes an alias (204); then it is not found, and deleting again succeeds', async () => {
    const del = await nimbus.lambda.send(new DeleteAliasCommand({ FunctionName: 'al', Name: 'edge' }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const err = await failure(() => nimbus.lambda.send(new GetAliasCommand({ FunctionName: 'al', Name: 'edge' })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: `Cannot find alias arn: ${ARN}:al:edge` });
    expect((await failure(() => invoke('al', 'edge'))).status).toBe(404);
    await nimbus.lambda.send(new DeleteAliasCommand({ FunctionName: 'al', Name: 'edge' }));
    expect(await aliasNames()).toEqual(['live->2']);
  });
});

describe('weighted routing', () => {
  it('splits invokes between the two versions by weight', async () => {
    const canary = await nimbus.lambda.send(
      new CreateAliasCommand({ FunctionName: 'al', Name: 'canary', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } }),
    );
    expect(canary.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.3 } });
    const runs = 400;
    let toTwo = 0;
    for (let i = 0; i < runs; i++) {
      const out = await invoke('al', 'canary');
      // The executed version header and the version the function saw always agree.
      expect(out.version).toBe(out.executed);
      expect(out.arn).toBe(`${ARN}:al:canary`);
      if (out.executed === '2') toTwo++;
    }
    // Binomial(400, 0.3): mean 120, sd 9.2; 80..160 is more than 4 sd either way.
    expect(toTwo).toBeGreaterThanOrEqual(80);
    expect(toTwo).toBeLessThanOrEqual(160);
  });

  it('keeps routing on an update that does not mention it and clears it with an empty one', async () => {
    const kept = await nimbus.lambda.send(new UpdateAliasCommand({ FunctionName: 'al', Name: 'canary', Description: 'c' }));
    expect(kept.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.3 } });
    const cleared = await nimbus.lambda.send(new UpdateAliasCommand({ FunctionName: 'al', Name: 'canary', RoutingConfig: {} }));
    expect(cleared.RoutingConfig).toBeUndefined();
    expect((await invoke('al', 'canary')).executed).toBe('1');
  });
});

describe('bad alias input gets AWS errors and changes nothing', () => {
  const create = (input: Record<string, unknown>) =>
    failure(() => nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'al', Name: 'bad', FunctionVersion: '1', ...input })));

  it('refuses each bad alias', async () => {
    const before = await aliasNames();
    expect(await create({ Name: 'live' })).toMatchObject({ name: 'ResourceConflictException', status: 409, message: `Alias already exists: ${ARN}:al:live` });
    expect(await create({ FunctionVersion: '9' })).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${ARN}:al:9` });
    const numeric = await create({ Name: '12' });
    expect(numeric).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(numeric.message).toMatch(/Value '12' at 'name' failed to satisfy constraint/);
    const heavy = await create({ RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } });
    expect(heavy).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(heavy.message).toMatch(/routingConfig.additionalVersionWeights/);
    expect((await create({ RoutingConfig: { AdditionalVersionWeights: { '2': -0.1 } } })).name).toBe('ValidationException');
    expect(await create({ FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })).toMatchObject({
      name: 'InvalidParameterValueException',
      message: '$LATEST is not supported for an alias pointing to more than 1 version',
    });
    expect(await create({ RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Invalid function version 1. Function version 1 is already included in routing configuration.',
    });
    expect(await create({ RoutingConfig: { AdditionalVersionWeights: { '2': 0.1, '3': 0.1 } } })).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Number of items in AdditionalVersionWeights cannot be greater than 1',
    });
    expect(await create({ RoutingConfig: { AdditionalVersionWeights: { '7': 0.5 } } })).toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await create({ RoutingConfig: { AdditionalVersionWeights: { $LATEST: 0.5 } } })).name).toBe('ValidationException');
    const toLatest = await failure(() =>
      nimbus.lambda.send(new UpdateAliasCommand({ FunctionName: 'al', Name: 'live', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })),
    );
    expect(toLatest.name).toBe('InvalidParameterValueException');
    const noFn = await failure(() => nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'ghost', Name: 'x', FunctionVersion: '1' })));
    expect(noFn).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${ARN}:ghost` });
    expect(await aliasNames()).toEqual(before);
  });

  it('refuses DeleteFunction on an alias qualifier', async () => {
    const err = await failure(() => nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'al', Qualifier: 'live' })));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(await aliasNames()).toContain('live->2');
  });

  it('removes aliases with their function', async () => {
    await nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'al' }));
    await nimbus.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'al', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip({ 'index.js': HANDLER }) } }),
    );
    expect(await aliasNames()).toEqual([]);
    expect((await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'al' }))).Version).toBe('1');
  });
});
