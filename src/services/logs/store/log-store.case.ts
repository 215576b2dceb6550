/** The behaviour every LogStore implementation must show (SQLite today; PostgreSQL with the cluster). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../../shared/scope.js';
import type { LogsStore } from './log-store.js';

const HERE: Scope = { accountId: '000000000000', region: 'us-east-1' };
const THERE: Scope = { accountId: '000000000000', region: 'eu-west-1' };
const OTHER_ACCOUNT: Scope = { accountId: '111122223333', region: 'us-east-1' };

export function logStoreBehaviour(name: string, open: () => Promise<LogsStore & { close(): Promise<void> }>): void {
  describe(`LogStore behaviour: ${name}`, () => {
    let store: LogsStore & { close(): Promise<void> };
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('appends log batches, creating groups and streams, and queries them in order', async () => {
      const { logs } = store;
      await logs.append(
        [
          { scope: HERE, logGroupName: '/g', logStreamName: 's1', events: [{ timestamp: 10, message: 'a' }, { timestamp: 30, message: 'c' }] },
          { scope: HERE, logGroupName: '/g', logStreamName: 's2', events: [{ timestamp: 20, message: 'b' }] },
        ],
        100,
      );
      expect((await logs.getGroup(HERE, '/g'))?.name).toBe('/g');
      const s1 = await logs.getStream(HERE, '/g', 's1');
      expect(s1).toMatchObject({ logGroupName: '/g', firstEventTimestamp: 10, lastEventTimestamp: 30, lastIngestionTime: 100 });
      const all = await logs.events(HERE, { logGroupName: '/g', limit: 10 });
      expect(all.map((e) => e.message)).toEqual(['a', 'b', 'c']);
      const page2 = await logs.events(HERE, { logGroupName: '/g', limit: 10, afterId: all[0]!.id });
      expect(page2.map((e) => e.message)).toEqual(['b', 'c']);
      const back = await logs.events(HERE, { logGroupName: '/g', limit: 1, descending: true });
      expect(back.map((e) => e.message)).toEqual(['c']);
      const ranged = await logs.events(HERE, { logGroupName: '/g', limit: 10, startTime: 20, endTime: 30 });
      expect(ranged.map((e) => e.message)).toEqual(['b']);
      const one = await logs.events(HERE, { logGroupName: '/g', limit: 10, logStreamNames: ['s2'] });
      expect(one.map((e) => e.message)).toEqual(['b']);
      await logs.append([{ scope: HERE, logGroupName: '/t', logStreamName: 's', events: ['ERROR disk', 'error net', 'WARN disk', 'ERROR net x'].map((message, i) => ({ timestamp: i, message })) }], 100);
      const containing = async (all: string[], none: string[], any: string[]) =>
        (await logs.events(HERE, { logGroupName: '/t', limit: 10, containing: { all, none, any } })).map((e) => e.message);
      expect(await containing(['ERROR'], [], [])).toEqual(['ERROR disk', 'ERROR net x']);
      expect(await containing(['ERROR'], ['x'], [])).toEqual(['ERROR disk']);
      expect(await containing([], [], ['WARN', 'net'])).toEqual(['error net', 'WARN disk', 'ERROR net x']);
      expect(await containing(['%'], [], [])).toEqual([]);
      const streams = await logs.listStreams(HERE, '/g', { orderBy: 'LastEventTime', descending: true, offset: 0, limit: 10 });
      expect(streams.map((s) => s.name)).toEqual(['s1', 's2']);
    });

    it('keeps log group retention and tags, and expires old events', async () => {
      const { logs } = store;
      const day = 86_400_000;
      await logs.append([{ scope: HERE, logGroupName: '/r', logStreamName: 's', events: [{ timestamp: 1 * day, message: 'old' }, { timestamp: 9 * day, message: 'new' }] }], 0);
      expect(await logs.setRetention(HERE, '/r', 3)).toBe(true);
      expect(await logs.setRetention(HERE, '/missing', 3)).toBe(false);
      expect(await logs.setTags(HERE, '/r', { team: 'a' })).toBe(true);
      expect(await logs.getGroup(HERE, '/r')).toMatchObject({ retentionInDays: 3, tags: { team: 'a' } });
      expect(await logs.expire(10 * day)).toBe(1);
      expect((await logs.events(HERE, { logGroupName: '/r', limit: 10 })).map((e) => e.message)).toEqual(['new']);
      await logs.setRetention(HERE, '/r', undefined);
      expect(await logs.expire(100 * day)).toBe(0);
      expect((await logs.getGroup(HERE, '/r'))?.retentionInDays).toBeUndefined();
    });

    it('creates and lists groups and streams, refusing a stream of a missing group', async () => {
      const { logs } = store;
      expect(await logs.createGroup(HERE, '/a', 5)).toBe(true);
      expect(await logs.createGroup(HERE, '/a', 6)).toBe(false);
      expect(await logs.createGroup(HERE, '/b', 7)).toBe(true);
      expect((await logs.listGroups(HERE, undefined, undefined, 10)).map((g) => g.name)).toEqual(['/a', '/b']);
      expect((await logs.listGroups(HERE, '/a', undefined, 10)).map((g) => g.name)).toEqual(['/a']);
      expect((await logs.listGroups(HERE, undefined, '/a', 10)).map((g) => g.name)).toEqual(['/b']);
      expect(await logs.createStream(HERE, '/a', 'x', 8)).toBe(true);
      expect(await logs.createStream(HERE, '/a', 'x', 9)).toBe(false);
      expect(await logs.createStream(HERE, '/missing', 'x', 9)).toBe(false);
      expect(await logs.getStream(HERE, '/a', 'x')).toMatchObject({ creationTime: 8, storedBytes: 0 });
    });

    it('deletes a log group with its streams and events', async () => {
      const { logs } = store;
      await logs.append([{ scope: HERE, logGroupName: '/g', logStreamName: 's', events: [{ timestamp: 1, message: 'x' }] }], 1);
      expect(await logs.deleteGroup(HERE, '/g')).toBe(true);
      expect(await logs.getGroup(HERE, '/g')).toBeUndefined();
      expect(await logs.events(HERE, { logGroupName: '/g', limit: 10 })).toEqual([]);
      expect(await logs.deleteGroup(HERE, '/g')).toBe(false);
      expect(await logs.getStream(HERE, '/g', 's')).toBeUndefined();
    });

    it('keeps each account and region apart', async () => {
      const { logs } = store;
      await logs.append(
        [HERE, THERE, OTHER_ACCOUNT].map((scope, i) => ({ scope, logGroupName: '/same', logStreamName: 's', events: [{ timestamp: i, message: `in ${scope.accountId}/${scope.region}` }] })),
        1,
      );
      for (const scope of [HERE, THERE, OTHER_ACCOUNT]) {
        expect((await logs.events(scope, { logGroupName: '/same', limit: 10 })).map((e) => e.message)).toEqual([`in ${scope.accountId}/${scope.region}`]);
        expect((await logs.listGroups(scope, undefined, undefined, 10)).map((g) => g.name)).toEqual(['/same']);
      }
      expect(await logs.setRetention(THERE, '/same', 1)).toBe(true);
      expect((await logs.getGroup(HERE, '/same'))?.retentionInDays).toBeUndefined();
      expect(await logs.deleteGroup(THERE, '/same')).toBe(true);
      expect(await logs.getGroup(THERE, '/same')).toBeUndefined();
      expect(await logs.getGroup(HERE, '/same')).toBeDefined();
      expect(await logs.getGroup(OTHER_ACCOUNT, '/same')).toBeDefined();
    });
  });
}
