/**
 * Regions and accounts through the real SDKs: state is keyed by the SigV4 credential scope's
 * region, so the same function name in two regions is two functions, with their own ARNs, code,
 * logs, metrics, layers and URLs; an ARN of another region or account is not found, never
 * taken for the local function of that name.
 */
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { CREDENTIALS, removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
const client = <T>(Client: new (c: object) => T, region: string): T =>
  new Client({ endpoint: nimbus.url, region, credentials: CREDENTIALS, maxAttempts: 1 });
let east: LambdaClient;
let west: LambdaClient;

const handler = (where: string) =>
  `exports.handler = async (e, ctx) => { console.log('RAN-IN ${where}'); return { where: '${where}', arn: ctx.invokedFunctionArn, region: process.env.AWS_REGION }; };`;

async function create(lambda: LambdaClient, where: string, extra: object = {}) {
  return lambda.send(
    new CreateFunctionCommand({ FunctionName: 'twin', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip({ 'index.js': handler(where) }) }, ...extra }),
  );
}

async function invoke(lambda: LambdaClient, FunctionName = 'twin') {
  const out = await lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from('{}') }));
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

beforeAll(async () => {
  nimbus = await startNimbus();
  east = nimbus.lambda;
  west = client(LambdaClient, 'eu-west-1');
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

describe('regions and accounts', () => {
  it('keeps a function of the same name in two regions apart: ARNs, code, environment and listing', async () => {
    const a = await create(east, 'east');
    const b = await create(west, 'west');
    expect(a.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:twin');
    expect(b.FunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:twin');
    expect(await invoke(east)).toEqual({ where: 'east', arn: a.FunctionArn, region: 'us-east-1' });
    expect(await invoke(west)).toEqual({ where: 'west', arn: b.FunctionArn, region: 'eu-west-1' });
    // A full ARN of the right region works like the name.
    expect((await invoke(west, b.FunctionArn)).where).toBe('west');
    expect((await client(LambdaClient, 'ap-southeast-2').send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    expect((await west.send(new ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionArn)).toEqual([b.FunctionArn]);
  });

  it('writes each region’s logs and metrics to that region', async () => {
    const logsOf = (region: string) =>
      poll(
        async () => {
          const out = await client(CloudWatchLogsClient, region)
            .send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/twin', filterPattern: '"RAN-IN"' }))
            .catch(() => ({ events: [] }));
          return out.events?.length ? out.events.map((e) => e.message!.trim().split(' ').pop()) : undefined;
        },
        15_000,
        `twin's log lines in ${region}`,
      );
    expect([...new Set(await logsOf('us-east-1'))]).toEqual(['east']);
    expect([...new Set(await logsOf('eu-west-1'))]).toEqual(['west']);
    // CloudWatch reads flush Lambda's pending minutes first.
    const invocations = async (region: string) => {
      const out = await client(CloudWatchClient, region).send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Lambda',
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'FunctionName', Value: 'twin' }],
          StartTime: new Date(Date.now() - 3_600_000),
          EndTime: new Date(Date.now() + 60_000),
          Period: 3600,
          Statistics: ['Sum'],
        }),
      );
      return out.Datapoints!.reduce((n, d) => n + (d.Sum ?? 0), 0);
    };
    expect(await invocations('us-east-1')).toBe(1);
    expect(await invocations('eu-west-1')).toBe(2);
    expect(await invocations('ap-southeast-2')).toBe(0);
  });

  it('keeps log groups per region', async () => {
    await client(CloudWatchLogsClient, 'sa-east-1').send(new CreateLogGroupCommand({ logGroupName: '/only/here' }));
    const names = async (region: string) =>
      ((await client(CloudWatchLogsClient, region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/only' }))).logGroups ?? []).map((g) => g.logGroupName);
    expect(await names('sa-east-1')).toEqual(['/only/here']);
    expect(await names('us-east-1')).toEqual([]);
  });

  it('answers an ARN of another region or account as not found', async () => {
    const elsewhere = await failure(() => east.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:twin' })));
    expect(elsewhere).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')" });
    const invoked = await failure(() => east.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:twin' })));
    expect(invoked).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const otherAccount = await failure(() => east.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:111122223333:function:twin' })));
    expect(otherAccount).toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:111122223333:function:twin' });
    const partial = await failure(() => east.send(new GetFunctionCommand({ FunctionName: '111122223333:function:twin' })));
    expect(partial).toMatchObject({ name: 'ResourceNotFoundException' });
    // A region that is no region is refused before anything else.
    const bogus = await failure(() => client(LambdaClient, 'mars-north-1x').send(new ListFunctionsCommand({})));
    expect(bogus).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
  });

  it('refuses a layer of another region, as AWS does', async () => {
    const layer = await west.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: await makeZip({ 'nodejs/x.js': '1' }) } }));
    expect(layer.LayerVersionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:layer:shared:1');
    const code = await makeZip({ 'index.js': handler('x') });
    const err = await failure(() =>
      east.send(
        new CreateFunctionCommand({
          FunctionName: 'layered',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: code },
          Layers: [layer.LayerVersionArn!],
        }),
      ),
    );
    expect(err).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.',
    });
  });

  it('names the function in Code.Location, as Lambda’s snapshot URLs do, and serves each region’s own zip', async () => {
    const [a, b] = await Promise.all([east, west].map((c) => c.send(new GetFunctionCommand({ FunctionName: 'twin' }))));
    expect(new URL(a!.Code!.Location!).pathname).toBe(`/_nimbus/code/000000000000/twin-${Buffer.from(a!.Configuration!.CodeSha256!, 'base64').toString('hex')}.zip`);
    expect(a!.Code!.Location).not.toBe(b!.Code!.Location);
    const zip = Buffer.from(await (await fetch(b!.Code!.Location!)).arrayBuffer());
    expect(createHash('sha256').update(zip).digest('base64')).toBe(b!.Configuration!.CodeSha256);
    expect(b!.Configuration!.CodeSha256).not.toBe(a!.Configuration!.CodeSha256);
  });

  it('serves a function URL of another region at its own host', async () => {
    const url = await west.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'twin', AuthType: 'NONE' }));
    expect(url.FunctionUrl).toMatch(/^http:\/\/[a-z0-9]{32}\.lambda-url\.eu-west-1\.localhost:\d+\/$/);
    const id = new URL(url.FunctionUrl!).hostname.split('.')[0];
    const res = await fetch(`${nimbus.url}/_nimbus/url/${id}/`);
    expect(await res.json()).toMatchObject({ where: 'west', region: 'eu-west-1' });
  });
});
