/**
 * CloudWatch Logs' response bounds through the real SDK: GetLogEvents and FilterLogEvents return
 * at most 1 MB of events and page the rest, tokens Nimbus did not issue are refused, and a filter
 * pattern of many wildcards over a long message answers at once.
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';

let nimbus: NimbusProcess;
const GROUP = 'limits';
const STREAM = 'big';
const BIG = 400_000;

beforeAll(async () => {
  nimbus = await startNimbus();
  await nimbus.logsClient.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await nimbus.logsClient.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
  const now = Date.now();
  for (let i = 0; i < 3; i++) {
    const message = `{"n":${i},"text":"${String(i).repeat(BIG)}"}`;
    await nimbus.logsClient.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: [{ timestamp: now + i, message }] }));
  }
});
afterAll(async () => {
  await nimbus?.stop();
  if (nimbus) removeDataDir(nimbus.dataDir);
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string };
    return { name: e.name, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('responses of at most 1 MB', () => {
  it('GetLogEvents returns the events that fit and a forward token to the rest', async () => {
    const first = await nimbus.logsClient.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true }));
    expect(first.events!.map((e) => JSON.parse(e.message!).n)).toEqual([0, 1]);
    const rest = await nimbus.logsClient.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, nextToken: first.nextForwardToken }));
    expect(rest.events!.map((e) => JSON.parse(e.message!).n)).toEqual([2]);
  });

  it('FilterLogEvents pages by nextToken when the matches pass 1 MB', async () => {
    const first = await nimbus.logsClient.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.n >= 0 }' }));
    expect(first.events!.map((e) => JSON.parse(e.message!).n)).toEqual([0, 1]);
    const rest = await nimbus.logsClient.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.n >= 0 }', nextToken: first.nextToken }));
    expect(rest.events!.map((e) => JSON.parse(e.message!).n)).toEqual([2]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('answers a pattern of many wildcards over long messages at once', async () => {
    const started = Date.now();
    const out = await nimbus.logsClient.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: `{ $.text = "${'*1'.repeat(200)}*2" }` }));
    expect(out.events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('tokens Nimbus did not issue', () => {
  const forged = Buffer.from(JSON.stringify({ v: -5 })).toString('base64url');
  it.each([
    ['FilterLogEvents', () => new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: forged })],
    ['DescribeLogStreams', () => new DescribeLogStreamsCommand({ logGroupName: GROUP, nextToken: forged })],
    ['GetLogEvents', () => new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, nextToken: 'f/-5' })],
  ])('%s refuses them with InvalidParameterException', async (_op, command) => {
    expect(await failure(nimbus.logsClient.send(command() as never))).toEqual({ name: 'InvalidParameterException', message: 'The specified nextToken is invalid.' });
  });
});
