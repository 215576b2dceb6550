import { describe, expect, it } from 'vitest';
import { openSlice, TEST_SCOPE } from '../../../test/support/slices.js';
import { LAMBDA_SLICE } from '../store/lambda-slice.js';
import { aliasRecord, fnRecord } from '../store/lambda-store.case.js';
import type { FunctionRecord, FunctionStore } from '../store/function-store.js';
import { FunctionCache } from './function-cache.js';
import { resolveQualifier } from '../versions/qualifier.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };
const toSpec = (r: FunctionRecord) => ({ key: `${r.name}:${r.version}:${r.revisionId}`, version: r.version }) as any;

/** A store whose reads are counted, to show that a warm cache does not read. */
async function countingStore() {
  const slice = openSlice(LAMBDA_SLICE);
  const store = { ...slice.at(TEST_SCOPE), close: slice.close };
  const reads = { count: 0 };
  const functions = new Proxy(store.functions, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (String(prop).startsWith('list') || prop === 'get') reads.count++;
        return value.apply(target, args);
      };
    },
  }) as FunctionStore;
  return { store, functions, reads };
}

describe('FunctionCache', () => {
  it('loads a function once, then resolves every qualifier from memory', async () => {
    const { store, functions, reads } = await countingStore();
    await store.functions.create(fnRecord('f'));
    await store.functions.publishVersion(fnRecord('f', { revisionId: 'v1' }));
    await store.functions.createAlias(aliasRecord('f', 'live', { functionVersion: '1' }));
    const cache = new FunctionCache(functions, toSpec);
    const [a, b] = await Promise.all([cache.get('f'), cache.get('f')]);
    expect(a).toBe(b);
    const loadReads = reads.count;
    for (const q of [undefined, '$LATEST', '1', 'live']) {
      const state = (await cache.get('f'))!;
      expect(resolveQualifier(state, q, scope).resolved.record.version).toBe(q === undefined || q === '$LATEST' ? '$LATEST' : '1');
    }
    expect(reads.count).toBe(loadReads);
    expect(() => resolveQualifier(a!, '2', scope)).toThrow(/Function not found: .*:f:2$/);
    expect(() => resolveQualifier(a!, 'beta', scope)).toThrow(/Function not found: .*:f:beta$/);
    await store.close();
  });

  it('applies control-plane writes to a loaded function without reading', async () => {
    const { store, functions, reads } = await countingStore();
    await store.functions.create(fnRecord('f'));
    const cache = new FunctionCache(functions, toSpec);
    const state = (await cache.get('f'))!;
    const before = reads.count;
    cache.put(fnRecord('f', { version: '1', revisionId: 'v1' }));
    cache.putAlias(aliasRecord('f', 'live', { functionVersion: '1', additionalVersionWeights: { '1': 0 } }));
    cache.put(fnRecord('f', { revisionId: 'r2' }));
    expect(state.latest.spec.key).toBe('f:$LATEST:r2');
    expect(resolveQualifier(state, 'live', scope, 0.5).resolved.record.version).toBe('1');
    cache.removeAlias('f', 'live');
    cache.removeVersion('f', '1');
    expect(() => resolveQualifier(state, '1', scope)).toThrow(/not found/);
    expect(reads.count).toBe(before);
    await store.close();
  });

  it('does not bring back a function deleted while it was loading', async () => {
    const { store, functions } = await countingStore();
    await store.functions.create(fnRecord('f'));
    const cache = new FunctionCache(functions, toSpec);
    const loading = cache.get('f');
    await store.functions.deleteAll('f');
    cache.delete('f');
    expect(await loading).toBeUndefined();
    expect(await cache.get('f')).toBeUndefined();
    await store.close();
  });
});
