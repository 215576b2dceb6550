import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncEventSample } from '../../observe/async-event-recorder.js';
import { silentLogger } from '../../shared/logger.js';
import type { AsyncEventRecord } from '../store/async-event-store.js';
import { openSlice, TEST_SCOPE } from '../../../test/support/slices.js';
import { LAMBDA_SLICE } from '../store/lambda-slice.js';
import type { LambdaStore } from '../store/lambda-store.js';
import { AsyncDispatcher, type AsyncAttempt } from './async-dispatcher.js';
import { DEFAULT_RETRY_SETTINGS } from './retry-policy.js';

let store: LambdaStore & { close(): Promise<void> };
let now: number;
let outcomes: AsyncAttempt[];
let delivered: { to: string; record: any }[];
let dispatcher: AsyncDispatcher;
let samples: AsyncEventSample[];
/** The dead-letter target of function `f`, and whether it takes what is sent. */
let deadLetter: { arn?: string; works: boolean; got: { arn: string; id: string; condition: string }[] };
let destinationsWork: boolean;

const clock = { now: () => now, monotonic: () => now };
const event = (id: string): AsyncEventRecord => ({
  ...TEST_SCOPE,
  id,
  functionName: 'f',
  qualifier: '$LATEST',
  payload: Buffer.from('{"n":1}'),
  receivedAt: now,
  attempts: 0,
  throttles: 0,
  dueAt: now,
});
const ok: AsyncAttempt = { outcome: 'success', last: { statusCode: 200, executedVersion: '$LATEST', payload: Buffer.from('"fine"') } };
const failed: AsyncAttempt = {
  outcome: 'function-error',
  last: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"x"}') },
};

async function run(): Promise<void> {
  dispatcher.wake();
  await dispatcher.settle();
}

beforeEach(async () => {
  store = openSlice(LAMBDA_SLICE);
  now = 1_000_000;
  outcomes = [];
  delivered = [];
  samples = [];
  deadLetter = { works: true, got: [] };
  destinationsWork = true;
  await store.at(TEST_SCOPE).eventInvokeConfigs.put({ functionName: 'f', qualifier: '$LATEST', onSuccess: 'arn:ok', onFailure: 'arn:fail', lastModified: 0 });
  dispatcher = new AsyncDispatcher({
    events: store.asyncEvents,
    clock,
    logger: silentLogger,
    nodeId: 'node-1',
    configFor: (e) => store.at(TEST_SCOPE).eventInvokeConfigs.get(e.functionName, e.qualifier),
    attempt: async () => outcomes.shift() ?? ok,
    deliver: async (to, record) => {
      if (!destinationsWork) throw new Error('destination gone');
      delivered.push({ to, record });
    },
    deadLetterTarget: async () => deadLetter.arn,
    deliverDeadLetter: async (arn, e, failure) => {
      if (!deadLetter.works) throw new Error('queue gone');
      deadLetter.got.push({ arn, id: e.id, condition: failure.condition });
    },
    metrics: { asyncEvent: (s) => void samples.push(s) },
    functionArn: (e) => `arn:aws:lambda:us-east-1:000000000000:function:${e.functionName}:${e.qualifier}`,
    retry: { ...DEFAULT_RETRY_SETTINGS, functionErrorBaseDelayMs: 1000, throttleBaseDelayMs: 100 },
    maxInFlight: 4,
    pollIntervalMs: 60_000,
  });
  await dispatcher.start();
});
afterEach(async () => {
  await dispatcher.stop();
  await store.close();
});

describe('AsyncDispatcher', () => {
  it('runs an event once, then delivers the success record and forgets it', async () => {
    await store.asyncEvents.enqueue(event('e1'));
    await run();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.to).toBe('arn:ok');
    expect(delivered[0]!.record.requestContext).toMatchObject({ requestId: 'e1', condition: 'Success', approximateInvokeCount: 1 });
    expect(delivered[0]!.record.responsePayload).toBe('fine');
    expect(await store.asyncEvents.depth()).toBe(0);
  });

  it('retries function errors with back-off, then sends RetriesExhausted to OnFailure', async () => {
    outcomes = [failed, failed, failed];
    await store.asyncEvents.enqueue(event('e1'));
    await run();
    expect(delivered).toEqual([]);
    await run(); // not due yet: nothing happens
    expect(outcomes).toHaveLength(2);
    now += 1000;
    await run();
    now += 2000;
    await run();
    expect(outcomes).toHaveLength(0);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.to).toBe('arn:fail');
    expect(delivered[0]!.record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(delivered[0]!.record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(dispatcher.stats).toMatchObject({ attempts: 3, retried: 2, dropped: 1 });
  });

  it('keeps a throttled event queued without counting an attempt', async () => {
    outcomes = [{ outcome: 'throttled' }];
    await store.asyncEvents.enqueue(event('e1'));
    await run();
    expect(await store.asyncEvents.depth()).toBe(1);
    now += 100;
    await run();
    expect(delivered[0]!.record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 });
  });

  it('drops events older than MaximumEventAgeInSeconds without running them', async () => {
    await store.at(TEST_SCOPE).eventInvokeConfigs.put({ functionName: 'f', qualifier: '$LATEST', maximumEventAgeInSeconds: 60, onFailure: 'arn:fail', lastModified: 0 });
    outcomes = [{ outcome: 'throttled' }];
    await store.asyncEvents.enqueue(event('old'));
    await run();
    now += 61_000;
    await run();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 0 });
    expect(delivered[0]!.record).not.toHaveProperty('responsePayload');
  });

  it('takes back its own leases after a restart', async () => {
    await store.asyncEvents.enqueue(event('mid-flight'));
    await store.asyncEvents.claim(now, 16 * 60_000, 10, 'node-1'); // what a crashed life left leased
    await dispatcher.stop();
    await dispatcher.start();
    await dispatcher.settle();
    expect(delivered.map((d) => d.record.requestContext.requestId)).toEqual(['mid-flight']);
  });

  it('records the age of each run, drops, and delivery failures per function', async () => {
    outcomes = [failed, failed, failed];
    destinationsWork = false;
    await store.asyncEvents.enqueue({ ...event('e1'), qualifier: 'live' });
    await store.at(TEST_SCOPE).eventInvokeConfigs.put({ functionName: 'f', qualifier: 'live', onFailure: 'arn:fail', lastModified: 0 });
    now += 250;
    await run();
    now += 1000;
    await run();
    now += 2000;
    await run();
    expect(samples.filter((s) => s.kind === 'invoked').map((s) => s.ageMs)).toEqual([250, 1250, 3250]);
    expect(samples.filter((s) => s.kind !== 'invoked')).toEqual([
      { kind: 'dropped', scope: TEST_SCOPE, functionName: 'f', qualifier: 'live' },
      { kind: 'destination-failure', scope: TEST_SCOPE, functionName: 'f', qualifier: 'live' },
    ]);
    expect(dispatcher.stats).toMatchObject({ dropped: 1, deliveryFailures: 1, deadLetterErrors: 0 });
  });

  it('sends dropped events to the dead-letter target, counting the ones it refuses', async () => {
    deadLetter.arn = 'arn:aws:sqs:us-east-1:000000000000:dlq';
    await store.at(TEST_SCOPE).eventInvokeConfigs.put({ functionName: 'f', qualifier: '$LATEST', maximumRetryAttempts: 0, lastModified: 0 });
    outcomes = [failed, ok, failed];
    await store.asyncEvents.enqueue(event('e1'));
    await store.asyncEvents.enqueue(event('e2'));
    await run();
    expect(deadLetter.got).toEqual([{ arn: 'arn:aws:sqs:us-east-1:000000000000:dlq', id: 'e1', condition: 'RetriesExhausted' }]);
    deadLetter.works = false;
    await store.asyncEvents.enqueue(event('e3'));
    await run();
    expect(dispatcher.stats).toMatchObject({ dropped: 2, deadLetterErrors: 1 });
    expect(samples.filter((s) => s.kind === 'dead-letter-error')).toEqual([{ kind: 'dead-letter-error', scope: TEST_SCOPE, functionName: 'f', qualifier: '$LATEST' }]);
    expect(await store.asyncEvents.depth()).toBe(0);
  });
});
