/**
 * The behaviour every Store implementation must show. Each implementation's test calls
 * `storeBehaviour(name, open)`; a PostgreSQL store will run the same suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AliasRecord, FunctionRecord, Store } from './store.js';
import type { FunctionUrlConfigRecord } from './function-url-store.js';
import { metricStoreBehaviour } from './metric-store.case.js';
import { alarmStoreBehaviour } from './alarm-store.case.js';
import { leaseStoreBehaviour } from './lease-store.case.js';

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

export function aliasRecord(functionName: string, name: string, overrides: Partial<AliasRecord> = {}): AliasRecord {
  return { functionName, name, functionVersion: '1', description: '', additionalVersionWeights: {}, revisionId: 'a1', ...overrides };
}

export function storeBehaviour(name: string, open: () => Promise<Store>): void {
  metricStoreBehaviour(name, open);
  alarmStoreBehaviour(name, open);
  leaseStoreBehaviour(name, open);
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

    it('publishes versions with numbers that are never reused, until the function goes', async () => {
      await store.functions.create(fnRecord('a'));
      const v1 = await store.functions.publishVersion(fnRecord('a', { revisionId: 'p1' }));
      const v2 = await store.functions.publishVersion(fnRecord('a', { revisionId: 'p2' }));
      expect([v1.version, v2.version]).toEqual(['1', '2']);
      expect((await store.functions.get('a', '2'))?.revisionId).toBe('p2');
      expect(await store.functions.deleteVersion('a', '2')).toBe(true);
      expect(await store.functions.deleteVersion('a', '2')).toBe(false);
      expect(await store.functions.deleteVersion('a', '$LATEST')).toBe(false);
      expect((await store.functions.publishVersion(fnRecord('a'))).version).toBe('3');
      for (let i = 0; i < 8; i++) await store.functions.publishVersion(fnRecord('a'));
      const versions = await store.functions.listVersions('a');
      expect(versions.map((v) => v.version)).toEqual(['$LATEST', '1', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
      expect((await store.functions.publishVersion(fnRecord('b'))).version).toBe('1');
      await store.functions.deleteAll('a');
      await store.functions.create(fnRecord('a'));
      expect((await store.functions.publishVersion(fnRecord('a'))).version).toBe('1');
    });

    it('keeps aliases per function with compare-and-set updates', async () => {
      expect(await store.functions.createAlias(aliasRecord('a', 'live'))).toBe(true);
      expect(await store.functions.createAlias(aliasRecord('a', 'live'))).toBe(false);
      await store.functions.createAlias(aliasRecord('a', 'beta', { additionalVersionWeights: { '2': 0.25 } }));
      await store.functions.createAlias(aliasRecord('b', 'live'));
      expect((await store.functions.listAliases('a')).map((x) => x.name)).toEqual(['beta', 'live']);
      expect((await store.functions.listAliases('a'))[0]!.additionalVersionWeights).toEqual({ '2': 0.25 });
      expect(await store.functions.replaceAlias(aliasRecord('a', 'live', { functionVersion: '2', revisionId: 'a2' }), 'wrong')).toBe(false);
      expect(await store.functions.replaceAlias(aliasRecord('a', 'live', { functionVersion: '2', revisionId: 'a2' }), 'a1')).toBe(true);
      expect((await store.functions.listAliases('a')).find((x) => x.name === 'live')?.functionVersion).toBe('2');
      expect(await store.functions.deleteAlias('a', 'beta')).toBe(true);
      expect(await store.functions.deleteAlias('a', 'beta')).toBe(false);
      await store.functions.create(fnRecord('a'));
      await store.functions.deleteAll('a');
      expect(await store.functions.listAliases('a')).toEqual([]);
      expect((await store.functions.listAliases('b')).length).toBe(1);
    });

    it('keeps policies per function, version and alias, with compare-and-set, dropped with their owner', async () => {
      const policy = (qualifier: string, revisionId: string, sids: string[]) => ({
        functionName: 'a',
        qualifier,
        revisionId,
        statements: sids.map((Sid) => ({ Sid })),
      });
      await store.functions.create(fnRecord('a'));
      await store.functions.publishVersion(fnRecord('a'));
      await store.functions.createAlias(aliasRecord('a', 'live'));
      expect(await store.functions.savePolicy(policy('$LATEST', 'p1', ['s1']), null)).toBe(true);
      expect(await store.functions.savePolicy(policy('$LATEST', 'p1', ['s1']), null)).toBe(false);
      expect(await store.functions.savePolicy(policy('$LATEST', 'p2', ['s1', 's2']), 'wrong')).toBe(false);
      expect(await store.functions.savePolicy(policy('$LATEST', 'p2', ['s1', 's2']), 'p1')).toBe(true);
      expect((await store.functions.getPolicy('a', '$LATEST'))?.statements).toEqual([{ Sid: 's1' }, { Sid: 's2' }]);
      await store.functions.savePolicy(policy('1', 'v', ['s']), null);
      await store.functions.savePolicy(policy('live', 'l', ['s']), null);
      await store.functions.deleteVersion('a', '1');
      await store.functions.deleteAlias('a', 'live');
      expect(await store.functions.getPolicy('a', '1')).toBeUndefined();
      expect(await store.functions.getPolicy('a', 'live')).toBeUndefined();
      expect(await store.functions.deletePolicy('a', '$LATEST')).toBe(true);
      expect(await store.functions.deletePolicy('a', '$LATEST')).toBe(false);
      await store.functions.savePolicy(policy('$LATEST', 'p3', ['s']), null);
      await store.functions.deleteAll('a');
      expect(await store.functions.getPolicy('a', '$LATEST')).toBeUndefined();
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
      await store.logs.append([{ logGroupName: '/t', logStreamName: 's', events: ['ERROR disk', 'error net', 'WARN disk', 'ERROR net x'].map((message, i) => ({ timestamp: i, message })) }], 100);
      const containing = async (all: string[], none: string[], any: string[]) =>
        (await store.logs.events({ logGroupName: '/t', limit: 10, containing: { all, none, any } })).map((e) => e.message);
      expect(await containing(['ERROR'], [], [])).toEqual(['ERROR disk', 'ERROR net x']);
      expect(await containing(['ERROR'], ['x'], [])).toEqual(['ERROR disk']);
      expect(await containing([], [], ['WARN', 'net'])).toEqual(['error net', 'WARN disk', 'ERROR net x']);
      expect(await containing(['%'], [], [])).toEqual([]);
      const streams = await store.logs.listStreams('/g', { orderBy: 'LastEventTime', descending: true, offset: 0, limit: 10 });
      expect(streams.map((s) => s.name)).toEqual(['s1', 's2']);
    });

    it('keeps log group retention and tags, and expires old events', async () => {
      const day = 86_400_000;
      await store.logs.append([{ logGroupName: '/r', logStreamName: 's', events: [{ timestamp: 1 * day, message: 'old' }, { timestamp: 9 * day, message: 'new' }] }], 0);
      expect(await store.logs.setRetention('/r', 3)).toBe(true);
      expect(await store.logs.setRetention('/missing', 3)).toBe(false);
      expect(await store.logs.setTags('/r', { team: 'a' })).toBe(true);
      expect(await store.logs.getGroup('/r')).toMatchObject({ retentionInDays: 3, tags: { team: 'a' } });
      expect(await store.logs.expire(10 * day)).toBe(1);
      expect((await store.logs.events({ logGroupName: '/r', limit: 10 })).map((e) => e.message)).toEqual(['new']);
      await store.logs.setRetention('/r', undefined);
      expect(await store.logs.expire(100 * day)).toBe(0);
      expect((await store.logs.getGroup('/r'))?.retentionInDays).toBeUndefined();
    });

    it('deletes a log group with its streams and events', async () => {
      await store.logs.append([{ logGroupName: '/g', logStreamName: 's', events: [{ timestamp: 1, message: 'x' }] }], 1);
      expect(await store.logs.deleteGroup('/g')).toBe(true);
      expect(await store.logs.getGroup('/g')).toBeUndefined();
      expect(await store.logs.events({ logGroupName: '/g', limit: 10 })).toEqual([]);
      expect(await store.logs.deleteGroup('/g')).toBe(false);
    });
    it('queues async events durably and leases them to one claimer at a time', async () => {
      const event = (id: string, dueAt: number) => ({
        id,
        functionName: 'f',
        qualifier: '$LATEST',
        payload: Buffer.from(`{"id":"${id}"}`),
        receivedAt: 0,
        attempts: 0,
        throttles: 0,
        dueAt,
      });
      await store.asyncEvents.enqueue(event('e1', 0));
      await store.asyncEvents.enqueue(event('e2', 0));
      await store.asyncEvents.enqueue(event('later', 500));
      expect(await store.asyncEvents.depth()).toBe(3);
      const first = await store.asyncEvents.claim(100, 1000, 10, 'node-a');
      expect(first.map((e) => e.id)).toEqual(['e1', 'e2']);
      expect(first[0]!.payload.toString()).toBe('{"id":"e1"}');
      // Leased: nobody else gets them until the lease lapses.
      expect(await store.asyncEvents.claim(200, 1000, 10, 'node-b')).toEqual([]);
      await store.asyncEvents.remove('e1');
      await store.asyncEvents.reschedule('e2', 300, 1, 0);
      expect((await store.asyncEvents.claim(400, 1000, 10, 'node-a')).map((e) => [e.id, e.attempts])).toEqual([['e2', 1]]);
      // e2's lease lapses at 1400; `later` was never claimed.
      expect((await store.asyncEvents.claim(1400, 1000, 10, 'node-b')).map((e) => e.id)).toEqual(['e2', 'later']);
      // A restarted node-b takes back what it held, at once.
      expect(await store.asyncEvents.releaseOwned('node-b')).toBe(2);
      expect((await store.asyncEvents.claim(1500, 1000, 10, 'node-b')).length).toBe(2);
      expect(await store.asyncEvents.depth()).toBe(2);
    });

    it('keeps provisioned concurrency settings per function and qualifier', async () => {
      await store.provisionedConfigs.put({ functionName: 'f', qualifier: '1', requested: 2, lastModified: 1 });
      await store.provisionedConfigs.put({ functionName: 'f', qualifier: '1', requested: 3, lastModified: 2 });
      await store.provisionedConfigs.put({ functionName: 'g', qualifier: 'live', requested: 1, lastModified: 3 });
      expect(await store.provisionedConfigs.get('f', '1')).toEqual({ functionName: 'f', qualifier: '1', requested: 3, lastModified: 2 });
      expect((await store.provisionedConfigs.all()).map((c) => c.functionName)).toEqual(['f', 'g']);
      expect(await store.provisionedConfigs.delete('f', '1')).toBe(true);
      await store.provisionedConfigs.deleteAll('g');
      expect(await store.provisionedConfigs.all()).toEqual([]);
    });

    it('keeps event invoke configurations per function and qualifier', async () => {
      const config = { functionName: 'f', qualifier: '$LATEST', maximumRetryAttempts: 1, lastModified: 5 };
      await store.eventInvokeConfigs.put(config);
      await store.eventInvokeConfigs.put({ ...config, qualifier: 'live', onFailure: 'arn:x' });
      expect(await store.eventInvokeConfigs.get('f', '$LATEST')).toEqual(config);
      expect((await store.eventInvokeConfigs.list('f')).map((c) => c.qualifier)).toEqual(['$LATEST', 'live']);
      expect(await store.eventInvokeConfigs.delete('f', 'live')).toBe(true);
      expect(await store.eventInvokeConfigs.delete('f', 'live')).toBe(false);
      await store.eventInvokeConfigs.deleteAll('f');
      expect(await store.eventInvokeConfigs.list('f')).toEqual([]);
    });

    it('keeps one function URL configuration per function and qualifier', async () => {
      const config: FunctionUrlConfigRecord = {
        functionName: 'f',
        qualifier: '$LATEST',
        urlId: 'a'.repeat(32),
        authType: 'NONE',
        invokeMode: 'BUFFERED',
        creationTime: 1,
        lastModifiedTime: 1,
      };
      expect(await store.functionUrls.create(config)).toBe(true);
      expect(await store.functionUrls.create({ ...config, authType: 'AWS_IAM' })).toBe(false);
      const live = { ...config, qualifier: 'live', urlId: 'b'.repeat(32), cors: { AllowOrigins: ['*'], MaxAge: 5 } };
      expect(await store.functionUrls.create(live)).toBe(true);
      expect(await store.functionUrls.get('f', '$LATEST')).toEqual(config);
      expect(await store.functionUrls.replace({ ...config, authType: 'AWS_IAM', lastModifiedTime: 2 })).toBe(true);
      expect(await store.functionUrls.replace({ ...config, functionName: 'g' })).toBe(false);
      expect((await store.functionUrls.get('f', '$LATEST'))?.authType).toBe('AWS_IAM');
      expect((await store.functionUrls.list('f')).map((c) => c.qualifier)).toEqual(['$LATEST', 'live']);
      expect((await store.functionUrls.listAll()).length).toBe(2);
      expect(await store.functionUrls.delete('f', 'live')).toBe(true);
      expect(await store.functionUrls.delete('f', 'live')).toBe(false);
      await store.functionUrls.deleteAll('f');
      expect(await store.functionUrls.list('f')).toEqual([]);
    });

    it('numbers layer versions without ever reusing one, and keeps a policy per version', async () => {
      const layer = (layerName: string) => ({
        layerName,
        description: '',
        compatibleRuntimes: [],
        compatibleArchitectures: [],
        codeSha256: 'cd'.repeat(32),
        codeSize: 10,
        unzippedSize: 20,
        createdDate: 0,
      });
      expect((await store.layers.publish(layer('b'))).version).toBe(1);
      expect((await store.layers.publish(layer('b'))).version).toBe(2);
      expect((await store.layers.publish(layer('a'))).version).toBe(1);
      expect((await store.layers.listVersions('b')).map((v) => v.version)).toEqual([2, 1]);
      expect((await store.layers.listAll(undefined)).map((v) => `${v.layerName}:${v.version}`)).toEqual(['a:1', 'b:2', 'b:1']);
      expect((await store.layers.listAll('a')).map((v) => `${v.layerName}:${v.version}`)).toEqual(['b:2', 'b:1']);
      const policy = { layerName: 'b', version: 2, statements: [{ Sid: 's' }], revisionId: 'p1' };
      expect(await store.layers.savePolicy(policy, null)).toBe(true);
      expect(await store.layers.savePolicy(policy, null)).toBe(false);
      expect(await store.layers.savePolicy({ ...policy, revisionId: 'p2' }, 'wrong')).toBe(false);
      expect(await store.layers.savePolicy({ ...policy, revisionId: 'p2' }, 'p1')).toBe(true);
      expect((await store.layers.getPolicy('b', 2))?.revisionId).toBe('p2');
      expect(await store.layers.deleteVersion('b', 2)).toBe(true);
      expect(await store.layers.deleteVersion('b', 2)).toBe(false);
      expect(await store.layers.getPolicy('b', 2)).toBeUndefined();
      expect(await store.layers.get('b', 2)).toBeUndefined();
      await store.layers.deleteVersion('b', 1);
      expect((await store.layers.publish(layer('b'))).version).toBe(3);
      expect((await store.layers.get('b', 3))?.codeSha256).toBe('cd'.repeat(32));
    });
  });
}
