/** Provisioned concurrency through the real SDK: environments initialized ahead of invokes. */
import {
  CreateFunctionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;

async function deploy(name: string, source: string): Promise<string> {
  await nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip({ 'index.js': source }) } }),
  );
  return (await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version!;
}

const statusOf = (name: string, qualifier: string) =>
  nimbus.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }));

async function invoke(name: string, qualifier: string, payload: unknown = {}) {
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: Buffer.from(JSON.stringify(payload)) }));
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

beforeAll(async () => {
  nimbus = await startNimbus();
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

describe('provisioned concurrency', () => {
  it('initializes environments ahead of invokes, uses them first and spills over to on-demand', async () => {
    const version = await deploy(
      'warmed',
      'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms ?? 0)); return process.env.AWS_LAMBDA_INITIALIZATION_TYPE; };',
    );
    const put = await nimbus.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warmed', Qualifier: version, ProvisionedConcurrentExecutions: 2 }));
    expect(put.RequestedProvisionedConcurrentExecutions).toBe(2);
    expect(['IN_PROGRESS', 'READY']).toContain(put.Status);
    const ready = await poll(async () => {
      const s = await statusOf('warmed', version);
      return s.Status === 'READY' ? s : undefined;
    }, 15_000, 'READY');
    expect(ready).toMatchObject({ AvailableProvisionedConcurrentExecutions: 2, AllocatedProvisionedConcurrentExecutions: 2 });

    expect(await invoke('warmed', version)).toBe('provisioned-concurrency');
    expect(await invoke('warmed', '$LATEST')).toBe('on-demand');
    const overlapping = await Promise.all([1, 2, 3].map(() => invoke('warmed', version, { ms: 300 })));
    expect(overlapping.sort()).toEqual(['on-demand', 'provisioned-concurrency', 'provisioned-concurrency']);

    const listed = await nimbus.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warmed' }));
    expect(listed.ProvisionedConcurrencyConfigs?.[0]).toMatchObject({
      FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:warmed:${version}`,
      RequestedProvisionedConcurrentExecutions: 2,
    });
    await nimbus.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'warmed', Qualifier: version }));
    const gone = await failure(() => statusOf('warmed', version));
    expect(gone).toMatchObject({ name: 'ProvisionedConcurrencyConfigNotFoundException', status: 404 });
  });

  it('reports FAILED with a reason when the function cannot initialize', async () => {
    const version = await deploy('broken-init', "throw new Error('cannot start');");
    await nimbus.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'broken-init', Qualifier: version, ProvisionedConcurrentExecutions: 1 }));
    const failed = await poll(async () => {
      const s = await statusOf('broken-init', version);
      return s.Status === 'FAILED' ? s : undefined;
    }, 15_000, 'FAILED');
    expect(failed.StatusReason).toMatch(/FUNCTION_ERROR_INIT_FAILURE/);
  });

  it('refuses $LATEST and unknown versions, changing nothing', async () => {
    const latest = await failure(() =>
      nimbus.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warmed', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 })),
    );
    expect(latest.name).toBe('InvalidParameterValueException');
    const unknown = await failure(() =>
      nimbus.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warmed', Qualifier: '42', ProvisionedConcurrentExecutions: 1 })),
    );
    expect(unknown.status).toBe(404);
    expect((await nimbus.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warmed' }))).ProvisionedConcurrencyConfigs).toEqual([]);
  });
});
