/**
 * The behaviour every Store implementation must show. Each implementation's test calls
 * `storeBehaviour(name, open)`; a PostgreSQL store will run the same suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionRecord, Store } from './store.js';

export function fnRecord(name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  return {
    name,
    version: '$LATEST',
    revisionId: 'r1',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::000000000000:role/r',
    description: '',
    timeout: 3,
    memorySize: 128,
    ephemeralStorage: 512,
    architectures: ['x86_64'],
    environment: {},
    codeSha256: 'ab'.repeat(32),
    codeSize: 100,
    lastModified: 0,
    packageType: 'Zip',
    tracingMode: 'PassThrough',
    logFormat: 'Text',
    logGroup: `/aws/lambda/${name}`,
    tags: {},
    ...overrides,
  };
}

export function storeBehaviour(name: string, open: () => Promise<Store>): void {
  describe(`Store behaviour: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a function once and reads it back', async () => {
      expect(await store.functions.create(fnRecord('a'))).toBe(true);
      expect(await store.functions.create(fnRecord('a'))).toBe(false);
      expect((await store.functions.get('a', '$LATEST'))?.handler).toBe('index.handler');
      expect(await store.functions.get('a', '1')).toBeUndefined();
    });

    it('replaces only when the revision matches', async () => {
      await store.functions.create(fnRecord('a'));
      expect(await store.functions.replace(fnRecord('a', { revisionId: 'r2', timeout: 9 }), 'wrong')).toBe(false);
      expect(await store.functions.replace(fnRecord('a', { revisionId: 'r2', timeout: 9 }), 'r1')).toBe(true);
      expect((await store.functions.get('a', '$LATEST'))?.timeout).toBe(9);
      expect(await store.functions.replace(fnRecord('a', { revisionId: 'r3' }), 'r1')).toBe(false);
    });

    it('lists $LATEST records by name with a cursor', async () => {
      for (const n of ['c', 'a', 'b', 'd']) await store.functions.create(fnRecord(n));
      await store.functions.create(fnRecord('a', { version: '1' }));
      const first = await store.functions.listLatest(undefined, 2);
      expect(first.map((f) => f.name)).toEqual(['a', 'b']);
      const rest = await store.functions.listLatest('b', 10);
      expect(rest.map((f) => f.name)).toEqual(['c', 'd']);
    });

    it('deletes every version and reports usage', async () => {
      await store.functions.create(fnRecord('a', { codeSize: 10 }));
      await store.functions.create(fnRecord('a', { version: '1', codeSize: 10 }));
      await store.functions.create(fnRecord('b', { codeSize: 5 }));
      expect(await store.functions.usage()).toEqual({ functionCount: 2, totalCodeSize: 25 });
      expect(await store.functions.deleteAll('a')).toBe(2);
      expect(await store.functions.get('a', '$LATEST')).toBeUndefined();
      expect(await store.functions.usage()).toEqual({ functionCount: 1, totalCodeSize: 5 });
    });

    it('keeps settings', async () => {
      expect(await store.settings.get('k')).toBeUndefined();
      await store.settings.set('k', 'v1');
      await store.settings.set('k', 'v2');
      expect(await store.settings.get('k')).toBe('v2');
    });

    it('appends log batches, creating groups and streams, and queries them in order', async () => {
      await store.logs.append(
        [
          { logGroupName: '/g', logStreamName: 's1', events: [{ timestamp: 10, message: 'a' }, { timestamp: 30, message: 'c' }] },
          { logGroupName: '/g', logStreamName: 's2', events: [{ timestamp: 20, message: 'b' }] },
        ],
        100,
      );
      expect((await store.logs.getGroup('/g'))?.name).toBe('/g');
      const s1 = await store.logs.getStream('/g', 's1');
      expect(s1).toMatchObject({ firstEventTimestamp: 10, lastEventTimestamp: 30, lastIngestionTime: 100 });
      const all = await store.logs.events({ logGroupName: '/g', limit: 10 });
      expect(all.map((e) => e.message)).toEqual(['a', 'b', 'c']);
      const page2 = await store.logs.events({ logGroupName: '/g', limit: 10, afterId: all[0]!.id });
      expect(page2.map((e) => e.message)).toEqual(['b', 'c']);
      const back = await store.logs.events({ logGroupName: '/g', limit: 1, descending: true });
      expect(back.map((e) => e.message)).toEqual(['c']);
      const ranged = await store.logs.events({ logGroupName: '/g', limit: 10, startTime: 20, endTime: 30 });
      expect(ranged.map((e) => e.message)).toEqual(['b']);
      const one = await store.logs.events({ logGroupName: '/g', limit: 10, logStreamNames: ['s2'] });
      expect(one.map((e) => e.message)).toEqual(['b']);
      const streams = await store.logs.listStreams('/g', { orderBy: 'LastEventTime', descending: true, offset: 0, limit: 10 });
      expect(streams.map((s) => s.name)).toEqual(['s1', 's2']);
    });

    it('deletes a log group with its streams and events', async () => {
      await store.logs.append([{ logGroupName: '/g', logStreamName: 's', events: [{ timestamp: 1, message: 'x' }] }], 1);
      expect(await store.logs.deleteGroup('/g')).toBe(true);
      expect(await store.logs.getGroup('/g')).toBeUndefined();
      expect(await store.logs.events({ logGroupName: '/g', limit: 10 })).toEqual([]);
      expect(await store.logs.deleteGroup('/g')).toBe(false);
    });
  });
}
