/** The behaviour every PlatformStore implementation must show: settings and cluster leases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformStore } from './platform-store.js';

export function platformStoreBehaviour(name: string, open: () => Promise<PlatformStore & { close(): Promise<void> }>): void {
  describe(`PlatformStore behaviour: ${name}`, () => {
    let store: PlatformStore & { close(): Promise<void> };
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps settings', async () => {
      expect(await store.settings.get('k')).toBeUndefined();
      await store.settings.set('k', 'v1');
      await store.settings.set('k', 'v2');
      expect(await store.settings.get('k')).toBe('v2');
    });

    it('gives a free lease to the first owner and refuses the second until it expires', async () => {
      const { leases } = store;
      expect(await leases.acquire('job', 'a', 1000, 500)).toBe(true);
      expect(await leases.acquire('job', 'b', 1200, 500)).toBe(false);
      expect(await leases.holder('job', 1200)).toBe('a');
      // The holder renews; the other still waits.
      expect(await leases.acquire('job', 'a', 1400, 500)).toBe(true);
      expect(await leases.acquire('job', 'b', 1600, 500)).toBe(false);
      // Expired at 1900: the other takes it over.
      expect(await leases.holder('job', 1900)).toBeUndefined();
      expect(await leases.acquire('job', 'b', 1900, 500)).toBe(true);
      expect(await leases.acquire('job', 'a', 2000, 500)).toBe(false);
      expect(await leases.holder('job', 2000)).toBe('b');
    });

    it('releases only the holder’s lease, and keeps leases apart by name', async () => {
      const { leases } = store;
      expect(await leases.acquire('one', 'a', 0, 1000)).toBe(true);
      expect(await leases.acquire('two', 'b', 0, 1000)).toBe(true);
      await leases.release('one', 'b');
      expect(await leases.holder('one', 10)).toBe('a');
      await leases.release('one', 'a');
      expect(await leases.holder('one', 10)).toBeUndefined();
      expect(await leases.acquire('one', 'b', 10, 1000)).toBe(true);
      expect(await leases.holder('two', 10)).toBe('b');
    });
  });
}
