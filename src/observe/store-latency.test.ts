import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { measureStoreLatency, timedStore } from './store-latency.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('store latency', () => {
  it('times every sub-store call by sub-store and method, and leaves results and the rest of the store alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-latency-'));
    const seen: string[] = [];
    const store = timedStore(new SqliteStore(join(dir, 'nimbus.db')), (operation, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push(operation);
    });
    await store.settings.set('k', 'v');
    expect(await store.settings.get('k')).toBe('v');
    expect(await store.settings.get('absent')).toBeUndefined();
    expect(seen).toEqual(['settings.set', 'settings.get', 'settings.get']);
    await store.close();
  });

  it('counts failed calls too, and rethrows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-latency-'));
    const seen: string[] = [];
    const inner = new SqliteStore(join(dir, 'nimbus.db'));
    const store = timedStore(inner, (operation) => seen.push(operation));
    await inner.close();
    await expect(store.settings.get('k')).rejects.toThrow();
    expect(seen).toEqual(['settings.get']);
  });

  it('is served as a Prometheus histogram', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-latency-'));
    const registry = new Registry();
    const store = measureStoreLatency(new SqliteStore(join(dir, 'nimbus.db')), registry);
    await store.settings.set('k', 'v');
    expect(await registry.metrics()).toContain('nimbus_store_operation_seconds_count{operation="settings.set"} 1');
    await store.close();
  });
});
