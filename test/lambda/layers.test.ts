/**
 * Layers through the real @aws-sdk/client-lambda against a real server: publish, get (by name
 * and by ARN), list, delete with numbers never reused, content stored once, layer permissions,
 * and functions that use layers: Node.js and Python find modules under /opt, a later layer
 * overrides an earlier one's file, /opt/bin is on PATH; and the inputs Lambda refuses, with
 * the function left as it was.
 */
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvokeCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip, type ZipEntry } from '../support/zip.js';

const LAYER = 'arn:aws:lambda:us-east-1:000000000000:layer';

let nimbus: NimbusProcess;

beforeAll(async () => {
  nimbus = await startNimbus();
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

async function publish(name: string, entries: ZipEntry[] | Record<string, string>, extra: Record<string, unknown> = {}) {
  return nimbus.lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: await makeZip(entries) }, ...extra }));
}

async function createFunction(name: string, runtime: string, handler: string, code: ZipEntry[] | Record<string, string>, layers: string[]) {
  return nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as any, Handler: handler, Role: ROLE, Code: { ZipFile: await makeZip(code) }, Layers: layers }),
  );
}

async function invoke(name: string, qualifier?: string) {
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: Buffer.from('{}') }));
  return { error: out.FunctionError, json: JSON.parse(Buffer.from(out.Payload!).toString('utf8')) };
}

describe('layer versions', () => {
  let zip: Buffer;

  it('publishes version 1 with the wire shape Lambda answers (201)', async () => {
    zip = await makeZip({ 'nodejs/node_modules/greeting/index.js': 'module.exports = "hello from a layer";' });
    const out = await nimbus.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'greeting',
        Description: 'says hello',
        LicenseInfo: 'MIT',
        CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
        CompatibleArchitectures: ['x86_64'],
        Content: { ZipFile: zip },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out).toMatchObject({
      LayerArn: `${LAYER}:greeting`,
      LayerVersionArn: `${LAYER}:greeting:1`,
      Version: 1,
      Description: 'says hello',
      LicenseInfo: 'MIT',
      CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
      CompatibleArchitectures: ['x86_64'],
      Content: { CodeSha256: createHash('sha256').update(zip).digest('base64'), CodeSize: zip.length },
    });
    expect(out.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    // Content.Location serves the zip, like GetFunction's Code.Location.
    const download = await fetch(out.Content!.Location!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(zip);
  });

  it('stores the same zip published twice once', async () => {
    const again = await nimbus.lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { ZipFile: zip } }));
    expect(again.Version).toBe(2);
    expect(again.Content?.CodeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    const hex = createHash('sha256').update(zip).digest('hex');
    expect(readdirSync(join(nimbus.dataDir, 'code')).filter((f) => f.startsWith(hex))).toEqual([hex, `${hex}.zip`]);
  });

  it('gets a version by name and number, and by ARN', async () => {
    const byName = await nimbus.lambda.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 1 }));
    expect(byName).toMatchObject({ LayerVersionArn: `${LAYER}:greeting:1`, Version: 1, Description: 'says hello' });
    const byLayerArn = await nimbus.lambda.send(new GetLayerVersionCommand({ LayerName: `${LAYER}:greeting`, VersionNumber: 2 }));
    expect(byLayerArn).toMatchObject({ Version: 2, Description: '' });
    const byArn = await nimbus.lambda.send(new GetLayerVersionByArnCommand({ Arn: `${LAYER}:greeting:1` }));
    expect(byArn).toMatchObject({ LayerArn: `${LAYER}:greeting`, Version: 1, LicenseInfo: 'MIT' });
    const missing = await failure(() => nimbus.lambda.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 9 })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.' });
  });

  it('lists the latest matching version of each layer, with filters and markers', async () => {
    await publish('zeta', { 'python/zeta.py': 'Z = 1' }, { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'] });
    const all = await nimbus.lambda.send(new ListLayersCommand({}));
    expect(all.Layers!.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([
      ['greeting', 2],
      ['zeta', 1],
    ]);
    expect(all.Layers![0]).toMatchObject({ LayerArn: `${LAYER}:greeting`, LatestMatchingVersion: { LayerVersionArn: `${LAYER}:greeting:2` } });
    const node = await nimbus.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }));
    expect(node.Layers!.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([['greeting', 1]]);
    const arm = await nimbus.lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }));
    expect(arm.Layers!.map((l) => l.LayerName)).toEqual(['zeta']);
    const first = await nimbus.lambda.send(new ListLayersCommand({ MaxItems: 1 }));
    expect(first.Layers!.map((l) => l.LayerName)).toEqual(['greeting']);
    const second = await nimbus.lambda.send(new ListLayersCommand({ MaxItems: 1, Marker: first.NextMarker }));
    expect(second.Layers!.map((l) => l.LayerName)).toEqual(['zeta']);
    expect(second.NextMarker).toBeUndefined();
  });

  it('lists versions newest first, and deletes without ever reusing a number', async () => {
    const versions = await nimbus.lambda.send(new ListLayerVersionsCommand({ LayerName: 'greeting' }));
    expect(versions.LayerVersions!.map((v) => v.Version)).toEqual([2, 1]);
    const paged = await nimbus.lambda.send(new ListLayerVersionsCommand({ LayerName: 'greeting', MaxItems: 1 }));
    const rest = await nimbus.lambda.send(new ListLayerVersionsCommand({ LayerName: 'greeting', MaxItems: 1, Marker: paged.NextMarker }));
    expect([...paged.LayerVersions!, ...rest.LayerVersions!].map((v) => v.Version)).toEqual([2, 1]);
    await publish('doomed', { 'a.txt': 'a' });
    const del = await nimbus.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'doomed', VersionNumber: 1 }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    // Deleting again succeeds, as Lambda.
    await nimbus.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'doomed', VersionNumber: 1 }));
    expect((await nimbus.lambda.send(new ListLayerVersionsCommand({ LayerName: 'doomed' }))).LayerVersions).toEqual([]);
    expect((await publish('doomed', { 'a.txt': 'b' })).Version).toBe(2);
  });
});

describe('layer version permissions', () => {
  it('adds, reads and removes statements as Lambda writes them', async () => {
    const { Version } = await publish('shared', { 'data.txt': 'shared' });
    const missing = await failure(() => nimbus.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: Version })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const added = await nimbus.lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: Version,
        StatementId: 'xaccount',
        Action: 'lambda:GetLayerVersion',
        Principal: '210987654321',
      }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement!)).toEqual({
      Sid: 'xaccount',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: 'lambda:GetLayerVersion',
      Resource: `${LAYER}:shared:1`,
    });
    const org = await nimbus.lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: Version,
        StatementId: 'org',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
        OrganizationId: 'o-t194hfs8cz',
        RevisionId: added.RevisionId,
      }),
    );
    const dup = await failure(() =>
      nimbus.lambda.send(
        new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: Version, StatementId: 'org', Action: 'lambda:GetLayerVersion', Principal: '*' }),
      ),
    );
    expect(dup).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    const stale = await failure(() =>
      nimbus.lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: Version,
          StatementId: 'late',
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
          RevisionId: added.RevisionId,
        }),
      ),
    );
    expect(stale).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    const service = await failure(() =>
      nimbus.lambda.send(
        new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: Version, StatementId: 'svc', Action: 'lambda:GetLayerVersion', Principal: 's3.amazonaws.com' }),
      ),
    );
    expect(service).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(service.message).toMatch(/at 'principal' failed to satisfy constraint/);
    const policy = await nimbus.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: Version }));
    expect(policy.RevisionId).toBe(org.RevisionId);
    expect(JSON.parse(policy.Policy!)).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        JSON.parse(added.Statement!),
        {
          Sid: 'org',
          Effect: 'Allow',
          Principal: '*',
          Action: 'lambda:GetLayerVersion',
          Resource: `${LAYER}:shared:1`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-t194hfs8cz' } },
        },
      ],
    });
    await nimbus.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: Version, StatementId: 'xaccount' }));
    const gone = await failure(() =>
      nimbus.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: Version, StatementId: 'xaccount' })),
    );
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'Statement xaccount is not found in resource policy.' });
    await nimbus.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: Version, StatementId: 'org' }));
    expect((await failure(() => nimbus.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: Version })))).name).toBe(
      'ResourceNotFoundException',
    );
    const noVersion = await failure(() =>
      nimbus.lambda.send(
        new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 7, StatementId: 's', Action: 'lambda:GetLayerVersion', Principal: '*' }),
      ),
    );
    expect(noVersion).toMatchObject({ name: 'ResourceNotFoundException', message: `Layer version ${LAYER}:shared:7 does not exist.` });
  });
});

describe('functions with layers', () => {
  it('runs a Node.js function that requires a module from a layer, and reports its Layers', async () => {
    const layer = await publish('node-lib', { 'nodejs/node_modules/shout/index.js': 'module.exports = (s) => s.toUpperCase() + "!";' });
    const created = await createFunction(
      'node-layered',
      'nodejs20.x',
      'index.handler',
      { 'index.js': 'const shout = require("shout");\nexports.handler = async () => ({ said: shout("hi"), opt: process.env.NODE_PATH });' },
      [layer.LayerVersionArn!],
    );
    expect(created.Layers).toEqual([{ Arn: layer.LayerVersionArn, CodeSize: layer.Content!.CodeSize }]);
    const out = await invoke('node-layered');
    expect(out.error).toBeUndefined();
    expect(out.json.said).toBe('HI!');
    // Published versions keep their layers.
    const v1 = await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'node-layered' }));
    expect(v1.Layers).toEqual(created.Layers);
    expect((await invoke('node-layered', '1')).json.said).toBe('HI!');
  });

  it('runs a Python function that imports from /opt/python and from site-packages', async () => {
    const layer = await publish('py-lib', {
      'python/plain.py': 'VALUE = "plain"',
      'python/lib/python3.12/site-packages/deep.py': 'VALUE = "site-packages"',
    });
    await createFunction(
      'py-layered',
      'python3.12',
      'app.handler',
      { 'app.py': 'import plain, deep\n\ndef handler(event, context):\n    return [plain.VALUE, deep.VALUE]\n' },
      [layer.LayerVersionArn!],
    );
    expect(await invoke('py-layered')).toEqual({ error: undefined, json: ['plain', 'site-packages'] });
  });

  it('merges layers in order: the later layer overrides a file of the earlier one', async () => {
    const base = await publish('base', { 'nodejs/node_modules/config/index.js': 'module.exports = "base";', 'data/base.txt': 'base' });
    const override = await publish('override', { 'nodejs/node_modules/config/index.js': 'module.exports = "override";' });
    const handler = {
      'index.js':
        'const fs = require("fs");\nexports.handler = async () => ({ config: require("config"), base: fs.readFileSync("/opt/data/base.txt", "utf8") });',
    };
    await createFunction('merged', 'nodejs20.x', 'index.handler', handler, [base.LayerVersionArn!, override.LayerVersionArn!]);
    expect((await invoke('merged')).json).toEqual({ config: 'override', base: 'base' });
    // Order matters: the other order gives the other file.
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'merged', Layers: [override.LayerVersionArn!, base.LayerVersionArn!] }));
    expect((await invoke('merged')).json).toEqual({ config: 'base', base: 'base' });
    // Removing every layer empties /opt.
    await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'merged', Layers: [] }));
    const config = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'merged' }));
    expect(config.Layers).toBeUndefined();
    expect((await invoke('merged')).error).toBe('Unhandled');
  });

  it('puts /opt/bin on PATH for a provided runtime', async () => {
    const tools = await publish('tools', [{ name: 'bin/layer-tool', content: '#!/bin/sh\necho "tool ran with $1"\n', mode: 0o755 }]);
    const bootstrap = [
      '#!/bin/bash',
      'set -euo pipefail',
      'API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"',
      'while true; do',
      '  HEADERS="$(mktemp)"',
      '  curl -sS -D "$HEADERS" "$API/invocation/next" > /dev/null',
      "  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$HEADERS\" | tr -d '[:space:]' | cut -d: -f2)",
      '  OUT="$(layer-tool arg)"',
      '  curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"out\\": \\"$OUT\\"}" > /dev/null',
      'done',
    ].join('\n');
    await createFunction('tool-user', 'provided.al2023', 'x.handler', [{ name: 'bootstrap', content: bootstrap, mode: 0o755 }], [tools.LayerVersionArn!]);
    expect(await invoke('tool-user')).toEqual({ error: undefined, json: { out: 'tool ran with arg' } });
  });

  it('runs a layer’s /opt/bootstrap for a provided runtime whose package has none; the package’s own wins', async () => {
    // A bash runtime in a layer, answering with its own path and the function's handler file.
    const bootstrapSaying = (who: string) =>
      [
        '#!/bin/bash',
        'set -euo pipefail',
        'API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"',
        'while true; do',
        '  HEADERS="$(mktemp)"',
        '  curl -sS -D "$HEADERS" "$API/invocation/next" > /dev/null',
        "  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$HEADERS\" | tr -d '[:space:]' | cut -d: -f2)",
        `  BODY="{\\"who\\": \\"${who}\\", \\"self\\": \\"$0\\", \\"handler\\": \\"$(cat "$LAMBDA_TASK_ROOT/$_HANDLER")\\"}"`,
        '  curl -sS -X POST "$API/invocation/$ID/response" -d "$BODY" > /dev/null',
        'done',
      ].join('\n');
    const runtime = await publish('bash-runtime', [{ name: 'bootstrap', content: bootstrapSaying('layer'), mode: 0o755 }]);
    await createFunction('layer-runtime', 'provided.al2023', 'handler.txt', { 'handler.txt': 'from the package' }, [runtime.LayerVersionArn!]);
    expect(await invoke('layer-runtime')).toEqual({
      error: undefined,
      json: { who: 'layer', self: expect.stringMatching(/\/bootstrap$/), handler: 'from the package' },
    });

    await createFunction(
      'own-runtime',
      'provided.al2',
      'handler.txt',
      [
        { name: 'handler.txt', content: 'mine' },
        { name: 'bootstrap', content: bootstrapSaying('package'), mode: 0o755 },
      ],
      [runtime.LayerVersionArn!],
    );
    expect((await invoke('own-runtime')).json).toMatchObject({ who: 'package', handler: 'mine' });

    await createFunction('no-runtime', 'provided.al2023', 'handler.txt', { 'handler.txt': 'x' }, [(await publish('no-bootstrap', { 'lib.txt': 'x' })).LayerVersionArn!]);
    expect(await invoke('no-runtime')).toMatchObject({ error: 'Unhandled', json: { errorType: 'Runtime.InvalidEntrypoint' } });
  });
});

describe('refused layer inputs', () => {
  let first: string;
  beforeAll(async () => {
    first = (await publish('refusal', { 'a.txt': 'a' })).LayerVersionArn!;
    await createFunction('steady', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => 1;' }, [first]);
  });

  const layersOf = async () => (await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'steady' }))).Layers;

  it('refuses a layer version that does not exist, changing nothing', async () => {
    const before = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'steady' }));
    const unknown = `${LAYER}:refusal:99`;
    const err = await failure(() => nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Layers: [unknown] })));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', status: 400, message: `Layer version ${unknown} does not exist.` });
    const after = await nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'steady' }));
    expect(after.RevisionId).toBe(before.RevisionId);
    expect(after.Layers).toEqual(before.Layers);
    const create = await failure(() => createFunction('never', 'nodejs20.x', 'index.handler', { 'index.js': '' }, [unknown]));
    expect(create).toMatchObject({ name: 'InvalidParameterValueException', message: `Layer version ${unknown} does not exist.` });
    expect((await failure(() => nimbus.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'never' })))).status).toBe(404);
  });

  it('refuses a sixth layer, changing nothing', async () => {
    const six = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await publish(`six-${i}`, { [`f${i}`]: 'x' })).LayerVersionArn!));
    const err = await failure(() => nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Layers: six })));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', status: 400, message: 'Cannot reference more than 5 layers.' });
    expect(await layersOf()).toEqual([{ Arn: first, CodeSize: expect.any(Number) }]);
    // Five are fine.
    const five = await nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Layers: six.slice(0, 5) }));
    expect(five.Layers!.map((l) => l.Arn)).toEqual(six.slice(0, 5));
  });

  it('refuses two versions of one layer, another account\'s layer and another region\'s', async () => {
    const second = (await publish('refusal', { 'a.txt': 'b' })).LayerVersionArn!;
    const twice = await failure(() => nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Layers: [first, second] })));
    expect(twice).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(twice.message).toMatch(/^Two different versions of the same layer are not allowed to be referenced in the same function\./);
    const foreign = 'arn:aws:lambda:us-east-1:123456789012:layer:theirs:1';
    const denied = await failure(() => nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Layers: [foreign] })));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(denied.message).toContain(`not authorized to perform: lambda:GetLayerVersion on resource: ${foreign}`);
    const region = await failure(() =>
      nimbus.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Layers: ['arn:aws:lambda:eu-west-1:000000000000:layer:refusal:1'] })),
    );
    expect(region).toMatchObject({ name: 'InvalidParameterValueException' });
  });
});
