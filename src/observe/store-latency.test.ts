import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { storeLatency, timedSlice } from './store-latency.js';

/** A slice shaped like the real ones: sub-stores, and per-scope stores behind `at`. */
function fakeSlice() {
  const values = new Map<string, string>();
  const settings = {
    async get(key: string) {
      return values.get(key);
    },
    async set(key: string, value: string) {
      values.set(key, value);
    },
    async fail(): Promise<never> {
      throw new Error('gone');
    },
  };
  const functions = { async count() {
    return values.size;
  } };
  const scoped = { functions };
  return { settings, at: (_scope: string) => scoped, close: async () => 'closed' };
}

describe('store latency', () => {
  it('times every sub-store call by sub-store and method, and leaves results and the rest of the slice alone', async () => {
    const seen: string[] = [];
    const slice = timedSlice(fakeSlice(), (operation, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push(operation);
    });
    await slice.settings.set('k', 'v');
    expect(await slice.settings.get('k')).toBe('v');
    expect(await slice.settings.get('absent')).toBeUndefined();
    expect(await slice.at('us-east-1').functions.count()).toBe(1);
    expect(slice.at('us-east-1')).toBe(slice.at('us-east-1'));
    expect(await slice.close()).toBe('closed');
    expect(seen).toEqual(['settings.set', 'settings.get', 'settings.get', 'functions.count']);
  });

  it('counts failed calls too, and rethrows', async () => {
    const seen: string[] = [];
    const slice = timedSlice(fakeSlice(), (operation) => seen.push(operation));
    await expect(slice.settings.fail()).rejects.toThrow('gone');
    expect(seen).toEqual(['settings.fail']);
  });

  it('is served as a Prometheus histogram', async () => {
    const registry = new Registry();
    const slice = storeLatency(registry)(fakeSlice());
    await slice.settings.set('k', 'v');
    expect(await registry.metrics()).toContain('nimbus_store_operation_seconds_count{operation="settings.set"} 1');
  });
});
