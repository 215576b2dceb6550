/**
 * ListFunctions with FunctionVersion=ALL through the SDK: every published version as well as
 * $LATEST, paged by Marker/MaxItems (and the SDK's paginator) like the default listing; any
 * other FunctionVersion gets AWS's validation error.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  ListFunctionsCommand,
  paginateListFunctions,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';

async function create(name: string, versions: number): Promise<void> {
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => 1;' }) },
    }),
  );
  for (let v = 1; v <= versions; v++) {
    // A changed configuration each time, so each PublishVersion makes a new version.
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 3 + v }));
    await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  }
}

beforeAll(async () => {
  nimbus = await startNimbus();
  await create('all-a', 2);
  await create('all-b', 0);
  await create('all-c', 1);
}, 60_000);
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

const EVERY = ['all-a:$LATEST', 'all-a:1', 'all-a:2', 'all-b:$LATEST', 'all-c:$LATEST', 'all-c:1'];

describe('ListFunctions FunctionVersion=ALL', () => {
  it('lists each function’s $LATEST and published versions, with qualified ARNs', async () => {
    const out = await nimbus.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    expect(out.Functions!.map((f) => `${f.FunctionName}:${f.Version}`)).toEqual(EVERY);
    expect(out.NextMarker).toBeUndefined();
    const a2 = out.Functions!.find((f) => f.FunctionName === 'all-a' && f.Version === '2')!;
    expect(a2).toMatchObject({ FunctionArn: `${ARN}all-a:2`, Timeout: 5, Runtime: 'nodejs20.x' });
    expect(out.Functions![0]!.FunctionArn).toBe(`${ARN}all-a:$LATEST`);
  });

  it('pages by MaxItems and Marker, within and across functions', async () => {
    const pages: string[][] = [];
    let marker: string | undefined;
    do {
      const page = await nimbus.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MaxItems: 4, Marker: marker }));
      pages.push(page.Functions!.map((f) => `${f.FunctionName}:${f.Version}`));
      marker = page.NextMarker;
    } while (marker && pages.length < 10);
    expect(pages).toEqual([EVERY.slice(0, 4), EVERY.slice(4)]);
    const seen: string[] = [];
    for await (const page of paginateListFunctions({ client: nimbus.lambda, pageSize: 1 }, { FunctionVersion: 'ALL' })) {
      expect(page.Functions!.length).toBe(1);
      seen.push(...page.Functions!.map((f) => `${f.FunctionName}:${f.Version}`));
    }
    expect(seen).toEqual(EVERY);
  });

  it('leaves the default listing at $LATEST only, with unqualified ARNs', async () => {
    const out = await nimbus.lambda.send(new ListFunctionsCommand({}));
    expect(out.Functions!.map((f) => f.FunctionArn)).toEqual([`${ARN}all-a`, `${ARN}all-b`, `${ARN}all-c`]);
  });

  it('drops a deleted function’s versions', async () => {
    await create('all-d', 1);
    await nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'all-d', Qualifier: '1' }));
    const out = await nimbus.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    expect(out.Functions!.map((f) => `${f.FunctionName}:${f.Version}`)).toEqual([...EVERY, 'all-d:$LATEST']);
    await nimbus.lambda.send(new DeleteFunctionCommand({ FunctionName: 'all-d' }));
  });

  it('refuses any other FunctionVersion with AWS’s validation error', async () => {
    const err = await nimbus.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'LATEST' as 'ALL' })).catch((e) => e);
    expect(err).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(err.message).toBe(
      "1 validation error detected: Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
    );
  });
});
