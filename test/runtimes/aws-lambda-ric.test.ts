/**
 * AWS's official Node.js runtime interface client (aws-lambda-ric) as a `provided.al2023`
 * bootstrap: the client Lambda's own container images use, speaking our Runtime API through
 * its native aws-lambda-cpp/curl addon for /next, /response and /error, and node:http for
 * /init/error. What it accepts is what a real Lambda runtime accepts.
 */
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_LAMBDA_RIC_VERSION, awsLambdaRicRuntimeEntries, ensureAwsLambdaRic } from '../support/runtimes/aws-lambda-ric.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip, type ZipEntry } from '../support/zip.js';

const FUNCTION = 'ric-node';

// The ric takes the handler as its argument and the function directory from its cwd.
const BOOTSTRAP = ['#!/bin/sh', 'cd "$LAMBDA_TASK_ROOT"', 'exec node ./node_modules/aws-lambda-ric/bin/index.mjs "$_HANDLER"', ''].join('\n');

const HANDLER = `
exports.handler = async (event, context) => {
  if (event.fail) {
    class BadThing extends Error { constructor(m) { super(m); this.name = 'BadThing'; } }
    throw new BadThing('it broke');
  }
  console.log('hello from the ric', context.functionName);
  return {
    event,
    pid: process.pid,
    functionName: context.functionName,
    requestId: context.awsRequestId,
    arn: context.invokedFunctionArn,
    remaining: context.getRemainingTimeInMillis(),
  };
};
`;

let nimbus: NimbusProcess | undefined;

beforeAll(async () => {
  const ric = await ensureAwsLambdaRic();
  nimbus = await startNimbus();
  const entries: ZipEntry[] = [
    { name: 'bootstrap', content: BOOTSTRAP, mode: 0o755 },
    { name: 'index.js', content: HANDLER },
    ...awsLambdaRicRuntimeEntries(ric),
  ];
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: FUNCTION,
      Runtime: 'provided.al2023',
      Handler: 'index.handler',
      Role: ROLE,
      Timeout: 10,
      Code: { ZipFile: await makeZip(entries) },
    }),
  );
}, 300_000);

afterAll(async () => {
  if (!nimbus) return;
  await nimbus.stop();
  removeDataDir(nimbus.dataDir);
});

async function invoke(payload: unknown, extra: Record<string, unknown> = {}) {
  const out = await nimbus!.lambda.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return { ...out, text, json: text ? JSON.parse(text) : undefined };
}

describe(`aws-lambda-ric ${AWS_LAMBDA_RIC_VERSION} on provided.al2023`, () => {
  it("returns the handler's result with the Lambda context, then stays warm", async () => {
    const first = await invoke({ n: 1, nested: { ok: true } });
    expect(first.StatusCode).toBe(200);
    expect(first.FunctionError).toBeUndefined();
    expect(first.json).toMatchObject({
      event: { n: 1, nested: { ok: true } },
      functionName: FUNCTION,
      arn: `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}`,
    });
    expect(first.json.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.json.remaining).toBeGreaterThan(0);
    expect(first.json.remaining).toBeLessThanOrEqual(10_000);

    const second = await invoke({ n: 2 });
    expect(second.json).toMatchObject({ event: { n: 2 }, pid: first.json.pid });
    expect(second.json.requestId).not.toBe(first.json.requestId);
  });

  it("reports a thrown error as Unhandled in the ric's error shape", async () => {
    const out = await invoke({ fail: true });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json).toMatchObject({ errorType: 'BadThing', errorMessage: 'it broke' });
    expect(Array.isArray(out.json.trace)).toBe(true);
  });

  it('returns the console output and the REPORT line with LogType Tail', async () => {
    const out = await invoke({ tail: true }, { LogType: 'Tail' });
    expect(out.FunctionError).toBeUndefined();
    const log = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    expect(log).toContain(`hello from the ric ${FUNCTION}`);
    expect(log).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/);
  });
});
