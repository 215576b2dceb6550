import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from '../kit/authorization.js';
import { rootCaller, type OperationContext } from '../kit/operation-context.js';
import { loadModel } from '../kit/models/models.js';
import { operationRef } from '../kit/service-calls.js';
import type { ServiceDefinition } from '../kit/service-definition.js';
import { AwsError } from '../shared/errors.js';
import { InProcessCalls } from './in-process-calls.js';

const seen: Array<{ input: unknown; ctx: OperationContext }> = [];
const lambda: ServiceDefinition = {
  signingName: 'lambda',
  model: loadModel('lambda'),
  access: { operations: { Invoke: (input, scope) => ({ actions: ['lambda:InvokeFunction'], resources: [`arn:aws:lambda:${scope.region}:${scope.accountId}:function:${input.FunctionName}`] }) } },
  operations: {
    async Invoke(input, ctx) {
      seen.push({ input, ctx });
      return { StatusCode: 202 };
    },
  },
};

const Invoke = operationRef<{ FunctionName: string; InvocationType?: string }, { StatusCode: number }>('lambda', 'Invoke');

function calls(decide: (r: AuthorizationRequest) => void = () => {}) {
  const c = new InProcessCalls({ authorize: decide, baseUrl: () => 'http://127.0.0.1:4566' });
  c.mount([lambda]);
  return c;
}

describe('in-process calls', () => {
  it('runs the handler as the caller, in the region asked, after authorizing what the operation declares', async () => {
    const asked: AuthorizationRequest[] = [];
    const caller = { accountId: '111122223333', principal: 'lambda.alarms.cloudwatch.amazonaws.com', sourceArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a' };
    const out = await calls((r) => void asked.push(r)).call(Invoke, { FunctionName: 'f', InvocationType: 'Event' }, { caller, region: 'eu-west-1', traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
    expect(out).toEqual({ StatusCode: 202 });
    expect(asked).toEqual([
      { actions: ['lambda:InvokeFunction'], resources: ['arn:aws:lambda:eu-west-1:111122223333:function:f'], caller, accountId: '111122223333', region: 'eu-west-1', via: 'in-process' },
    ]);
    const { ctx } = seen.at(-1)!;
    expect(ctx).toMatchObject({ region: 'eu-west-1', accountId: '111122223333', caller, via: 'in-process', baseUrl: 'http://127.0.0.1:4566', traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
    await ctx.responded;
  });

  it('refuses what the authorizer refuses, before the handler', async () => {
    const before = seen.length;
    const denied = calls(() => {
      throw new AwsError('AccessDeniedException', 'no', 403);
    });
    await expect(denied.call(Invoke, { FunctionName: 'f' }, { caller: rootCaller('000000000000'), region: 'us-east-1' })).rejects.toMatchObject({ code: 'AccessDeniedException' });
    expect(seen.length).toBe(before);
  });

  it('validates the input against the model as the edge does', async () => {
    const c = calls();
    await expect(c.call(Invoke, {} as never, { caller: rootCaller('000000000000'), region: 'us-east-1' })).rejects.toMatchObject({
      code: 'ValidationException',
      message: "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
    });
    await expect(c.call(Invoke, { FunctionName: 'x'.repeat(300) }, { caller: rootCaller('000000000000'), region: 'us-east-1' })).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('answers 501 for a model operation without a handler, and throws for one that does not exist', async () => {
    const c = calls();
    await expect(c.call(operationRef('lambda', 'GetFunction'), { FunctionName: 'f' }, { caller: rootCaller('000000000000'), region: 'us-east-1' })).rejects.toMatchObject({
      code: 'NotImplementedException',
      status: 501,
    });
    await expect(c.call(operationRef('lambda', 'toString'), {}, { caller: rootCaller('000000000000'), region: 'us-east-1' })).rejects.toThrow('no operation lambda.toString');
    await expect(c.call(operationRef('sqs', 'SendMessage'), {}, { caller: rootCaller('000000000000'), region: 'us-east-1' })).rejects.toThrow('no operation sqs.SendMessage');
  });
});
