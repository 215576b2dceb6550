import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { BatchingLogSink } from './batching-log-sink.js';

const clock = { now: () => 1000, monotonic: () => 0 };

describe('BatchingLogSink', () => {
  it('buffers until flushed, then writes every line in order', async () => {
    const store = new SqliteStore(':memory:');
    const sink = new BatchingLogSink(store.logs, clock, silentLogger, { flushIntervalMs: 60_000 });
    sink.append('/aws/lambda/f', 's', [{ timestamp: 1, message: 'one' }]);
    sink.append('/aws/lambda/f', 's', [{ timestamp: 2, message: 'two' }]);
    expect(await store.logs.events({ logGroupName: '/aws/lambda/f', limit: 10 })).toEqual([]);
    await sink.flush();
    const events = await store.logs.events({ logGroupName: '/aws/lambda/f', limit: 10 });
    expect(events.map((e) => e.message)).toEqual(['one', 'two']);
    await store.close();
  });

  it('keeps memory bounded by dropping the oldest lines, and counts them', async () => {
    const store = new SqliteStore(':memory:');
    const sink = new BatchingLogSink(store.logs, clock, silentLogger, { flushIntervalMs: 60_000, maxBufferedEvents: 10 });
    for (let i = 0; i < 25; i++) sink.append('/g', 's', [{ timestamp: i, message: `m${i}` }]);
    await sink.flush();
    const events = await store.logs.events({ logGroupName: '/g', limit: 100 });
    expect(events.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 15}`));
    expect(sink.dropped).toBe(15);
    await store.close();
  });
});
