import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.js';

async function drain<T>(q: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of q) out.push(v);
  return out;
}

describe('AsyncQueue', () => {
  it('hands over what was pushed before and after the consumer waits, then ends', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    const all = drain(q);
    q.push(2);
    await Promise.resolve();
    q.push(3);
    q.end();
    q.push(4);
    expect(await all).toEqual([1, 2, 3]);
  });

  it('rejects the next read after what was pushed when it fails', async () => {
    const q = new AsyncQueue<number>();
    const it = q[Symbol.asyncIterator]();
    q.push(1);
    q.fail(new Error('throttled'));
    expect(await it.next()).toEqual({ value: 1, done: false });
    await expect(it.next()).rejects.toThrow('throttled');
  });

  it('rejects a waiting read at once, and drops pushes once the consumer stopped', async () => {
    const q = new AsyncQueue<number>();
    const it = q[Symbol.asyncIterator]();
    const waiting = it.next();
    q.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    const q2 = new AsyncQueue<number>();
    const it2 = q2[Symbol.asyncIterator]();
    await it2.return!();
    q2.push(1);
    expect(q2.closed).toBe(true);
    expect(await it2.next()).toEqual({ value: undefined, done: true });
  });
});
