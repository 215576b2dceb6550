/**
 * Tags through the real @aws-sdk/client-lambda against a real server: Tags on CreateFunction,
 * TagResource / UntagResource / ListTags on function ARNs, per function rather than per version.
 */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
let nimbus: NimbusProcess;

beforeAll(async () => {
  nimbus = await startNimbus();
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'tagged',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => 1;' }) },
      Tags: { team: 'core' },
    }),
  );
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

const tagsOf = async (resource = `${ARN}:tagged`) => (await nimbus.lambda.send(new ListTagsCommand({ Resource: resource }))).Tags;

describe('tags', () => {
  it('keeps the Tags given at creation', async () => {
    expect(await tagsOf()).toEqual({ team: 'core' });
    expect((await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }))).Tags).toEqual({ team: 'core' });
  });

  it('tags and untags (204), keeping the RevisionId', async () => {
    const before = await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }));
    const tagged = await nimbus.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tagged`, Tags: { env: 'prod', team: 'platform' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf()).toEqual({ team: 'platform', env: 'prod' });
    const untagged = await nimbus.lambda.send(new UntagResourceCommand({ Resource: `${ARN}:tagged`, TagKeys: ['team', 'absent'] }));
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf()).toEqual({ env: 'prod' });
    const after = await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }));
    expect(after.Configuration!.RevisionId).toBe(before.Configuration!.RevisionId);
  });

  it('belong to the function: a version reports them, a qualified ARN cannot carry them', async () => {
    await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'tagged' }));
    expect((await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'tagged', Qualifier: '1' }))).Tags).toEqual({ env: 'prod' });
    const err = await failure(() => nimbus.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tagged:1`, Tags: { a: 'b' } })));
    expect(err).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    });
    expect((await failure(() => tagsOf(`${ARN}:tagged:1`))).name).toBe('InvalidParameterValueException');
  });

  it('refuses more than 50 tags, an unknown function and a malformed ARN, changing nothing', async () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const err = await failure(() => nimbus.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tagged`, Tags: many })));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', message: 'Number of tags exceeds resource tag limit.' });
    expect(await tagsOf()).toEqual({ env: 'prod' });
    const missing = await failure(() => nimbus.lambda.send(new TagResourceCommand({ Resource: `${ARN}:ghost`, Tags: { a: 'b' } })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${ARN}:ghost` });
    expect((await failure(() => tagsOf('tagged'))).name).toBe('ValidationException');
    const createMany = await failure(() =>
      nimbus.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'too-many-tags',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: Buffer.from('x') },
          Tags: { ...many, extra: 'x' },
        }),
      ),
    );
    expect(createMany.name).toBe('InvalidParameterValueException');
    expect((await failure(() => nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'too-many-tags' })))).status).toBe(404);
  });
});
