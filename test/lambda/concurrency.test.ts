/** Reserved concurrency and throttling through the real SDK (AWS's "Lambda function scaling"). */
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

let nimbus: NimbusProcess;

beforeAll(async () => {
  nimbus = await startNimbus();
  const zip = await makeZip({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms ?? 0)); return "ok"; };' });
  for (const name of ['limited', 'free']) {
    await nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } }));
  }
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

const invoke = (name: string, ms = 0) =>
  nimbus.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ ms })) }));

describe('reserved concurrency', () => {
  it('is put, read back, shown in GetFunction and taken from the unreserved pool', async () => {
    const put = await nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 2 }));
    expect(put.ReservedConcurrentExecutions).toBe(2);
    expect((await nimbus.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'limited' }))).ReservedConcurrentExecutions).toBe(2);
    expect((await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'limited' }))).Concurrency).toEqual({ ReservedConcurrentExecutions: 2 });
    const settings = await nimbus.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 998 });
  });

  it('throttles invokes past the reservation at once with 429, Reason and Retry-After', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => invoke('limited', 400)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const throttled = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok.length).toBe(2);
    expect(throttled.length).toBe(3);
    for (const t of throttled) {
      expect(t.reason.name).toBe('TooManyRequestsException');
      expect(t.reason.$metadata.httpStatusCode).toBe(429);
      expect(t.reason.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      expect(t.reason.$response?.headers?.['retry-after'] ?? t.reason.retryAfterSeconds).toBeDefined();
    }
    // The leases came back: the function runs again.
    expect((await invoke('limited')).StatusCode).toBe(200);
  });

  it('throttles every invoke when reserved at 0, other functions unaffected', async () => {
    await nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 0 }));
    const err = await failure(() => invoke('limited'));
    expect(err).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    expect((await invoke('free')).StatusCode).toBe(200);
    await nimbus.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'limited' }));
    expect(await nimbus.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'limited' }))).not.toHaveProperty('ReservedConcurrentExecutions');
    expect((await invoke('limited')).StatusCode).toBe(200);
  });

  it('refuses a reservation that leaves less than 100 unreserved, changing nothing', async () => {
    const err = await failure(() => nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'free', ReservedConcurrentExecutions: 901 })));
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(err.message).toMatch(/minimum value of \[100\]/);
    expect(await nimbus.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'free' }))).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('keeps reservations across a restart', async () => {
    await nimbus.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 0 }));
    await nimbus.stop();
    nimbus = await startNimbus({ dataDir: nimbus.dataDir });
    expect((await failure(() => invoke('limited'))).name).toBe('TooManyRequestsException');
    expect((await nimbus.lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions).toBe(1000);
  });
});

describe('scaling rate', () => {
  it('throttles a function that adds environments faster than its scale-up rate', async () => {
    const limited = await startNimbus({ args: ['--scale-up-rate', '2'] });
    try {
      const zip = await makeZip({ 'index.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 400)); return "ok"; };' });
      await limited.lambda.send(new CreateFunctionCommand({ FunctionName: 'bursty', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } }));
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map(() => limited.lambda.send(new InvokeCommand({ FunctionName: 'bursty', Payload: Buffer.from('{}') }))),
      );
      const throttled = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      expect(throttled.map((t) => [t.reason.name, t.reason.$metadata.httpStatusCode])).toEqual([
        ['TooManyRequestsException', 429],
        ['TooManyRequestsException', 429],
      ]);
      // Warm environments need no new ones: the same two serve again at once.
      expect((await limited.lambda.send(new InvokeCommand({ FunctionName: 'bursty' }))).StatusCode).toBe(200);
    } finally {
      await limited.stop();
      removeDataDir(limited.dataDir);
    }
  });
});
