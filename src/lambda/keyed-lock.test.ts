import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

describe('KeyedLock', () => {
  it('runs work with the same key one at a time, in order, past failures', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const first = lock.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
      throw new Error('a1 failed');
    });
    const second = lock.run('a', async () => {
      log.push('a2');
      return 2;
    });
    const other = lock.run('b', async () => {
      log.push('b');
      return 'b';
    });
    expect(await other).toBe('b');
    expect(log).toEqual(['a1 start', 'b']);
    release();
    await expect(first).rejects.toThrow('a1 failed');
    expect(await second).toBe(2);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });
});
