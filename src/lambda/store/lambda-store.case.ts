/**
 * The behaviour every LambdaStore implementation must show. Each implementation's test calls
 * `lambdaStoreBehaviour(name, open)`; a PostgreSQL store will run the same suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../shared/scope.js';
import type { AliasRecord, FunctionRecord } from './function-store.js';
import type { LambdaStore, ScopedLambdaStore } from './lambda-store.js';
import type { FunctionUrlConfigRecord } from './function-url-store.js';

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

export const HERE: Scope = { accountId: '000000000000', region: 'us-east-1' };
const THERE: Scope = { accountId: '000000000000', region: 'eu-west-1' };
const OTHER_ACCOUNT: Scope = { accountId: '111122223333', region: 'us-east-1' };

type OpenStore = LambdaStore & { close(): Promise<void> };

export function lambdaStoreBehaviour(name: string, open: () => Promise<OpenStore>): void {
  describe(`LambdaStore behaviour: ${name}`, () => {
    let slice: OpenStore;
    /** The default scope's stores, plus the queue: what most cases exercise. */
    let store: ScopedLambdaStore & { asyncEvents: LambdaStore['asyncEvents'] };
    beforeEach(async () => {
      slice = await open();
      store = { ...slice.at(HERE), asyncEvents: slice.asyncEvents };
    });
    afterEach(async () => {
      await slice.close();
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

    it('queues async events durably and leases them to one claimer at a time', async () => {
      const event = (id: string, dueAt: number) => ({
        ...HERE,
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
      expect(first[0]).toMatchObject(HERE);
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
      expect((await slice.everywhere.provisionedConfigs()).map((c) => [c.functionName, c.region])).toEqual([['f', 'us-east-1'], ['g', 'us-east-1']]);
      expect(await store.provisionedConfigs.delete('f', '1')).toBe(true);
      await store.provisionedConfigs.deleteAll('g');
      expect(await slice.everywhere.provisionedConfigs()).toEqual([]);
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
        ...HERE,
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
      expect((await slice.everywhere.functionUrls()).length).toBe(2);
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

    it('keeps each account and region apart', async () => {
      const [here, there, other] = [HERE, THERE, OTHER_ACCOUNT].map((scope) => slice.at(scope));
      await here!.functions.create(fnRecord('same', { handler: 'here.handler', reservedConcurrency: 5 }));
      await there!.functions.create(fnRecord('same', { handler: 'there.handler' }));
      expect((await here!.functions.get('same', '$LATEST'))?.handler).toBe('here.handler');
      expect((await there!.functions.get('same', '$LATEST'))?.handler).toBe('there.handler');
      expect(await other!.functions.get('same', '$LATEST')).toBeUndefined();
      // Version counters are per scope too.
      expect((await there!.functions.publishVersion(fnRecord('same'))).version).toBe('1');
      expect((await there!.functions.publishVersion(fnRecord('same'))).version).toBe('2');
      expect((await here!.functions.publishVersion(fnRecord('same'))).version).toBe('1');
      expect(await here!.functions.usage()).toEqual({ functionCount: 1, totalCodeSize: 200 });
      expect(await there!.functions.deleteAll('same')).toBe(3);
      expect(await here!.functions.get('same', '$LATEST')).toBeDefined();
      expect((await here!.layers.publish({ layerName: 'l', description: '', compatibleRuntimes: [], compatibleArchitectures: [], codeSha256: 'ab', codeSize: 1, unzippedSize: 1, createdDate: 0 })).version).toBe(1);
      expect((await there!.layers.publish({ layerName: 'l', description: '', compatibleRuntimes: [], compatibleArchitectures: [], codeSha256: 'ab', codeSize: 1, unzippedSize: 1, createdDate: 0 })).version).toBe(1);
      expect(await slice.everywhere.reservations()).toEqual([{ ...HERE, functionName: 'same', reserved: 5 }]);
    });
  });
}
