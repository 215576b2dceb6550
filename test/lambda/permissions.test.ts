/**
 * Resource-based policies through the real @aws-sdk/client-lambda against a real server:
 * AddPermission, GetPolicy, RemovePermission on a function, a version and an alias, with the
 * policy document as Lambda returns it and Lambda's errors for bad input.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  GetPolicyCommand,
  RemovePermissionCommand,
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
      FunctionName: 'pol',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => 1;' }) },
      Publish: true,
    }),
  );
  await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'pol', Name: 'live', FunctionVersion: '1' }));
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

const policyOf = async (Qualifier?: string) => {
  const out = await nimbus.lambda.send(new GetPolicyCommand({ FunctionName: 'pol', Qualifier }));
  return { document: JSON.parse(out.Policy!), text: out.Policy!, revisionId: out.RevisionId! };
};

describe('permissions', () => {
  it('adds a statement (201) and returns it exactly as Lambda writes it', async () => {
    const out = await nimbus.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'pol',
        StatementId: 's3',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::my-bucket',
        SourceAccount: '000000000000',
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.Statement).toBe(
      `{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${ARN}:pol",` +
        '"Condition":{"StringEquals":{"AWS:SourceAccount":"000000000000"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket"}}}',
    );
    const { text, revisionId } = await policyOf();
    expect(text).toBe(`{"Version":"2012-10-17","Id":"default","Statement":[${out.Statement}]}`);
    expect(revisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('appends statements in order, with RevisionId concurrency', async () => {
    const before = await policyOf();
    const stale = await failure(() =>
      nimbus.lambda.send(
        new AddPermissionCommand({ FunctionName: 'pol', StatementId: 'acct', Action: 'lambda:GetFunction', Principal: '111122223333', RevisionId: 'stale' }),
      ),
    );
    expect(stale).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    await nimbus.lambda.send(
      new AddPermissionCommand({ FunctionName: 'pol', StatementId: 'acct', Action: 'lambda:GetFunction', Principal: '111122223333', RevisionId: before.revisionId }),
    );
    const after = await policyOf();
    expect(after.document.Statement.map((s: any) => [s.Sid, s.Principal])).toEqual([
      ['s3', { Service: 's3.amazonaws.com' }],
      ['acct', { AWS: 'arn:aws:iam::111122223333:root' }],
    ]);
    expect(after.revisionId).not.toBe(before.revisionId);
  });

  it('keeps separate policies for a version and an alias, with qualified resources', async () => {
    await nimbus.lambda.send(
      new AddPermissionCommand({ FunctionName: 'pol', Qualifier: 'live', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
    );
    await nimbus.lambda.send(new AddPermissionCommand({ FunctionName: `${ARN}:pol:1`, StatementId: 'v', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }));
    expect((await policyOf('live')).document.Statement).toEqual([
      { Sid: 'url', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: `${ARN}:pol:live`, Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } },
    ]);
    expect((await policyOf('1')).document.Statement[0].Resource).toBe(`${ARN}:pol:1`);
    expect((await policyOf()).document.Statement).toHaveLength(2);
  });

  it('refuses bad permissions with AWS errors and changes nothing', async () => {
    const before = (await policyOf()).text;
    const add = (extra: Record<string, unknown>) =>
      failure(() => nimbus.lambda.send(new AddPermissionCommand({ FunctionName: 'pol', StatementId: 'new', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', ...extra } as any)));
    expect(await add({ StatementId: 's3' })).toMatchObject({
      name: 'ResourceConflictException',
      status: 409,
      message: 'The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    expect(await add({ Principal: 'nobody' })).toMatchObject({ name: 'InvalidParameterValueException', message: 'The provided principal was invalid. Please check the principal and try again.' });
    expect((await add({ Action: 'invoke' })).name).toBe('ValidationException');
    expect(await add({ Qualifier: '$LATEST' })).toMatchObject({ name: 'InvalidParameterValueException', message: 'We currently do not support adding policies for $LATEST.' });
    expect(await add({ Qualifier: '7' })).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${ARN}:pol:7` });
    expect((await add({ FunctionName: 'ghost' })).status).toBe(404);
    expect((await policyOf()).text).toBe(before);
  });

  it('removes statements (204); the last one takes the policy with it', async () => {
    const removed = await nimbus.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'acct' }));
    expect(removed.$metadata.httpStatusCode).toBe(204);
    expect((await policyOf()).document.Statement.map((s: any) => s.Sid)).toEqual(['s3']);
    const missing = await failure(() => nimbus.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'acct' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: 'Statement acct is not found in resource policy.' });
    const stale = await failure(() => nimbus.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 's3', RevisionId: 'stale' })));
    expect(stale.name).toBe('PreconditionFailedException');
    await nimbus.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 's3' }));
    const none = await failure(() => policyOf());
    expect(none).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.' });
  });

  it("drops an alias's policy with the alias", async () => {
    await nimbus.lambda.send(new DeleteAliasCommand({ FunctionName: 'pol', Name: 'live' }));
    await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'pol', Name: 'live', FunctionVersion: '1' }));
    expect((await failure(() => policyOf('live'))).name).toBe('ResourceNotFoundException');
  });
});
