/**
 * Asynchronous invocation through the real SDK: 202 after the event is committed, retries with
 * back-off (shortened by NIMBUS_ASYNC_RETRY_BASE_MS), maximum age, destinations with the record
 * exactly as AWS sends it, and throttled events that wait instead of failing.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;
const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

async function deploy(name: string, source: string) {
  await nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip({ 'index.js': source }) } }),
  );
}

/** Log lines of a function that contain `marker`, once there are at least `count`. */
function linesWith(name: string, marker: string, count = 1) {
  return poll(
    async () => {
      const out = await nimbus.logsClient
        .send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern: `"${marker}"` }))
        // The group appears with the function's first log line.
        .catch((err) => (err.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(err)));
      const lines = (out.events ?? []).map((e) => e.message ?? '');
      return lines.length >= count ? lines : undefined;
    },
    15_000,
    `${count} log line(s) of ${name} with ${marker}`,
  );
}

/** The JSON a recorder function logged after RECORD. */
const records = (lines: string[]) => lines.map((l) => JSON.parse(l.slice(l.indexOf('RECORD ') + 7)));

beforeAll(async () => {
  nimbus = await startNimbus({ env: { NIMBUS_ASYNC_RETRY_BASE_MS: '100' } });
  await deploy('async-echo', "exports.handler = async (e, ctx) => { console.log('RAN', ctx.awsRequestId, JSON.stringify(e)); return { echoed: e }; };");
  await deploy('async-fails', "exports.handler = async (e, ctx) => { console.log('ATTEMPT', ctx.awsRequestId); throw new Error('always fails'); };");
  await deploy('recorder', "exports.handler = async (e) => { console.log('RECORD', JSON.stringify(e)); };");
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

describe('InvocationType Event', () => {
  it('answers 202 with the request id the function then runs with', async () => {
    const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'async-echo', InvocationType: 'Event', Payload: Buffer.from('{"n":7}') }));
    expect(out.StatusCode).toBe(202);
    const requestId = out.$metadata.requestId!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await linesWith('async-echo', `RAN ${requestId}`);
    expect(line).toContain('{"n":7}');
  });

  it('refuses an event payload over 1 MB with 413', async () => {
    const err = await failure(() =>
      nimbus.lambda.send(new InvokeCommand({ FunctionName: 'async-echo', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify('x'.repeat(1024 * 1024))) })),
    );
    expect(err).toMatchObject({ name: 'RequestEntityTooLargeException', status: 413 });
  });

  it('retries a failing function MaximumRetryAttempts times, then sends the failure record', async () => {
    await nimbus.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'async-fails',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: ARN('recorder') } },
      }),
    );
    const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'async-fails', InvocationType: 'Event', Payload: Buffer.from('{"job":1}') }));
    const requestId = out.$metadata.requestId!;
    const [record] = records(await linesWith('recorder', requestId));
    // One attempt plus one retry, and no more once the record is sent.
    expect(await linesWith('async-fails', `ATTEMPT ${requestId}`, 2)).toHaveLength(2);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { requestId, functionArn: `${ARN('async-fails')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { job: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'always fails' },
    });
    expect(new Date(record.timestamp).toString()).not.toBe('Invalid Date');
  });

  it('sends the success record to OnSuccess', async () => {
    await nimbus.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-echo', DestinationConfig: { OnSuccess: { Destination: ARN('recorder') } } }),
    );
    const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'async-echo', InvocationType: 'Event', Payload: Buffer.from('{"ok":true}') }));
    const [record] = records(await linesWith('recorder', out.$metadata.requestId!));
    expect(record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 });
    expect(record.responsePayload).toEqual({ echoed: { ok: true } });
  });

  it('keeps a throttled event until concurrency frees up, instead of failing it', async () => {
    await deploy('async-held', "exports.handler = async (e, ctx) => { console.log('HELD-RAN', ctx.awsRequestId); };");
    await nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'async-held', ReservedConcurrentExecutions: 0 }));
    const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'async-held', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    expect(out.StatusCode).toBe(202);
    await nimbus.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'async-held' }));
    await linesWith('async-held', `HELD-RAN ${out.$metadata.requestId!}`);
  });
});

describe('platform metrics', () => {
  it('shows the async queue and its counters on /metrics', async () => {
    const text = await (await fetch(`${nimbus.url}/metrics`)).text();
    expect(text).toMatch(/^nimbus_async_queue_depth \d+$/m);
    expect(Number(/^nimbus_async_events_received_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(4);
    expect(Number(/^nimbus_async_events_dropped_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^nimbus_environments\{state="[A-Za-z]+"\} \d+$/m);
  });
});

describe('event invoke configuration', () => {
  it('is put, updated, read, listed and deleted', async () => {
    await deploy('cfg', 'exports.handler = async () => 1;');
    const put = await nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 120 }));
    expect(put).toMatchObject({ FunctionArn: `${ARN('cfg')}:$LATEST`, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 120 });
    expect(put.LastModified).toBeInstanceOf(Date);
    const updated = await nimbus.lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', DestinationConfig: { OnFailure: { Destination: ARN('recorder') } } }),
    );
    expect(updated).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 120, DestinationConfig: { OnFailure: { Destination: ARN('recorder') } } });
    expect((await nimbus.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg' }))).MaximumEventAgeInSeconds).toBe(120);
    const listed = await nimbus.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'cfg' }));
    expect(listed.FunctionEventInvokeConfigs).toHaveLength(1);
    await nimbus.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'cfg' }));
    const gone = await failure(() => nimbus.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('refuses bad settings with AWS errors', async () => {
    expect((await failure(() => nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', MaximumRetryAttempts: 3 })))).name).toBe(
      'ValidationException',
    );
    expect((await failure(() => nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', MaximumEventAgeInSeconds: 59 })))).name).toBe(
      'ValidationException',
    );
    const notAnArn = await failure(() =>
      nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', DestinationConfig: { OnSuccess: { Destination: 'not-an-arn' } } })),
    );
    expect(notAnArn.name).toBe('ValidationException');
    const queue = await failure(() =>
      nimbus.lambda.send(
        new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:q' } } }),
      ),
    );
    expect(queue.name).toBe('InvalidParameterValueException');
    const destination = (Destination: string) =>
      failure(() => nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', DestinationConfig: { OnFailure: { Destination } } })));
    for (const [arn, message] of [
      ['arn:aws:dynamodb:us-east-1:000000000000:table/t', /must be a Lambda function, an SQS queue, an SNS topic or an EventBridge event bus/],
      [ARN('recorder').replace('us-east-1', 'eu-west-1'), /must be in the function's region, us-east-1/],
      ['arn:aws:sns:us-east-1:000000000000:', /names no SNS topic/],
    ] as const) {
      expect(await destination(arn)).toMatchObject({ name: 'InvalidParameterValueException', status: 400, message: expect.stringMatching(message) });
    }
    expect((await failure(() => nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'nobody', MaximumRetryAttempts: 1 })))).status).toBe(404);
    expect((await failure(() => nimbus.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', Qualifier: '9', MaximumRetryAttempts: 1 })))).status).toBe(404);
  });
});
