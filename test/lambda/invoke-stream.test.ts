/**
 * InvokeWithResponseStream through the real SDK (`InvokeWithResponseStreamCommand`, iterating
 * its EventStream): a streaming handler's chunks arrive while it still runs, a buffered
 * handler's response is one PayloadChunk, failures and LogType Tail end the stream in
 * InvokeComplete, and the request is checked as Invoke's is.
 *
 * Unsandboxed (`--sandbox none`) so the function can reach the test's own gate server on the
 * host's loopback: the streaming function writes its first chunk, then waits at the gate, which
 * the test opens only once that chunk has reached it. Were chunks held back until the function
 * finished, it would never finish (it times out, and the test fails on the error).
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandInput,
  type InvokeWithResponseStreamResponseEvent,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

const STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  if (event.mode === 'fail') {
    responseStream.write('partial;');
    throw new Error('mid-stream');
  }
  responseStream.write('first;');
  if (event.gate) await fetch(event.gate);
  console.log('past the gate');
  responseStream.write('second;');
  responseStream.end('last');
});`;

const buffered = (tag: string) => `exports.handler = async (event) => {
  if (event.fail) throw new TypeError('buffered failure');
  console.log('buffered ran');
  return { tag: '${tag}', event };
};`;

let nimbus: NimbusProcess;
let gate: Server;
let gateUrl: string;
/** Opens the gate: the function's pending fetch (or its next one) is answered. */
let openGate: () => void = () => {};
let gateOpened = new Promise<void>((resolve) => (openGate = resolve));

async function createFunction(name: string, code: string, timeout = 10): Promise<void> {
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Timeout: timeout,
      Code: { ZipFile: await makeZip({ 'index.js': code }) },
    }),
  );
}

beforeAll(async () => {
  gate = createServer((_req, res) => void gateOpened.then(() => res.end('open')));
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  gateUrl = `http://127.0.0.1:${(gate.address() as { port: number }).port}/`;
  nimbus = await startNimbus({ args: ['--sandbox', 'none'] });
  await createFunction('streamer', STREAMER);
  await createFunction('plain', buffered('v1'));
  await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'plain' }));
  await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'plain', Name: 'live', FunctionVersion: '1' }));
  await nimbus.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'plain', ZipFile: await makeZip({ 'index.js': buffered('latest') }) }));
  await createFunction('held', buffered('held'));
  await nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'held', ReservedConcurrentExecutions: 0 }));
}, 60_000);
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
  gate?.close();
});

interface Streamed {
  statusCode: number | undefined;
  executedVersion: string | undefined;
  contentType: string | undefined;
  chunks: string[];
  complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | undefined;
  /** Events after InvokeComplete (there must be none). */
  after: number;
}

async function stream(
  input: InvokeWithResponseStreamCommandInput,
  onEvent: (event: InvokeWithResponseStreamResponseEvent, chunks: string[]) => void = () => {},
): Promise<Streamed> {
  const out = await nimbus.lambda.send(new InvokeWithResponseStreamCommand(input));
  const got: Streamed = {
    statusCode: out.StatusCode,
    executedVersion: out.ExecutedVersion,
    contentType: out.ResponseStreamContentType,
    chunks: [],
    complete: undefined,
    after: 0,
  };
  for await (const event of out.EventStream ?? []) {
    if (got.complete) got.after++;
    if (event.PayloadChunk) got.chunks.push(Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8'));
    if (event.InvokeComplete) got.complete = { ...event.InvokeComplete };
    onEvent(event, got.chunks);
  }
  return got;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

async function failure(input: InvokeWithResponseStreamCommandInput): Promise<any> {
  try {
    await stream(input);
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

describe('a streaming handler', () => {
  it('sends each chunk as the function writes it, before the function finishes', async () => {
    let chunksWhenOpened = -1;
    const got = await stream({ FunctionName: 'streamer', Payload: json({ gate: gateUrl }) }, (event, chunks) => {
      if (event.PayloadChunk && chunksWhenOpened < 0) {
        chunksWhenOpened = chunks.length;
        openGate();
      }
    });
    // The gate opened on the first chunk: the function was still waiting at it then.
    expect(chunksWhenOpened).toBe(1);
    expect(got.chunks[0]).toBe('first;');
    expect(got.chunks.join('')).toBe('first;second;last');
    expect(got.complete).toEqual({});
    expect(got.after).toBe(0);
    expect(got.statusCode).toBe(200);
    expect(got.executedVersion).toBe('$LATEST');
    expect(got.contentType).toBe('application/vnd.amazon.eventstream');
  });

  it('ends a stream that failed midway with InvokeComplete carrying the error', async () => {
    const got = await stream({ FunctionName: 'streamer', Payload: json({ mode: 'fail' }) });
    expect(got.chunks.join('')).toBe('partial;');
    expect(got.complete).toEqual({ ErrorCode: 'Error', ErrorDetails: 'mid-stream' });
  });

  it('puts the log’s tail in InvokeComplete with LogType Tail', async () => {
    const got = await stream({ FunctionName: 'streamer', LogType: 'Tail', Payload: json({}) });
    expect(got.chunks.join('')).toBe('first;second;last');
    const log = Buffer.from(got.complete!.LogResult!, 'base64').toString('utf8');
    expect(log).toContain('past the gate');
    expect(log).toMatch(/END RequestId: /);
    expect(got.complete!.ErrorCode).toBeUndefined();
  });
});

describe('a buffered handler', () => {
  it('answers with its whole response as one PayloadChunk', async () => {
    const got = await stream({ FunctionName: 'plain', Payload: json({ a: 1 }) });
    expect(got.chunks).toHaveLength(1);
    expect(JSON.parse(got.chunks[0]!)).toEqual({ tag: 'latest', event: { a: 1 } });
    expect(got.complete).toEqual({});
  });

  it('fails with InvokeComplete and no chunk', async () => {
    const got = await stream({ FunctionName: 'plain', Payload: json({ fail: true }), LogType: 'Tail' });
    expect(got.chunks).toEqual([]);
    expect(got.complete).toMatchObject({ ErrorCode: 'TypeError', ErrorDetails: 'buffered failure' });
    expect(Buffer.from(got.complete!.LogResult!, 'base64').toString()).toContain('buffered failure');
  });

  it('runs the version an alias, a version or an ARN qualifier names', async () => {
    const byAlias = await stream({ FunctionName: 'plain', Qualifier: 'live' });
    expect(byAlias.executedVersion).toBe('1');
    expect(JSON.parse(byAlias.chunks[0]!)).toEqual({ tag: 'v1', event: {} });
    const byArn = await stream({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:plain:1' });
    expect(byArn.executedVersion).toBe('1');
    const latest = await stream({ FunctionName: 'plain', Qualifier: '$LATEST' });
    expect(latest.executedVersion).toBe('$LATEST');
  });
});

describe('requests refused before anything runs', () => {
  it('DryRun answers 204 with an empty stream', async () => {
    const got = await stream({ FunctionName: 'plain', InvocationType: 'DryRun' });
    expect(got.statusCode).toBe(204);
    expect(got.chunks).toEqual([]);
    expect(got.complete).toBeUndefined();
  });

  it('refuses other invocation types, a function or qualifier that does not exist, and a non-JSON event', async () => {
    const event = await failure({ FunctionName: 'plain', InvocationType: 'Event' as any });
    expect(event.name).toBe('InvalidParameterValueException');
    expect(event.message).toBe(
      "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
    );
    const missing = await failure({ FunctionName: 'nope' });
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    expect(missing.message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
    const qualifier = await failure({ FunctionName: 'plain', Qualifier: 'gone' });
    expect(qualifier.name).toBe('ResourceNotFoundException');
    const notJson = await failure({ FunctionName: 'plain', Payload: Buffer.from('{not json') });
    expect(notJson.name).toBe('InvalidRequestContentException');
  });

  it('answers a throttle with 429 before the stream starts', async () => {
    const err = await failure({ FunctionName: 'held' });
    expect(err).toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
  });
});
