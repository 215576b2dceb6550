import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger.js';
import { SqliteDatabase } from '../../store/sqlite/sqlite-database.js';
import { LOGS_SLICE } from './store/logs-slice.js';
import { BatchingLogSink } from './batching-log-sink.js';

const clock = { now: () => 1000, monotonic: () => 0 };
const HERE = { accountId: '000000000000', region: 'us-east-1' };
const THERE = { accountId: '000000000000', region: 'eu-west-1' };

function openStore() {
  const database = new SqliteDatabase(':memory:', HERE);
  return { ...database.open(LOGS_SLICE), close: async () => database.close() };
}

describe('BatchingLogSink', () => {
  it('buffers until flushed, then writes every line in order', async () => {
    const store = openStore();
    const sink = new BatchingLogSink(store.logs, clock, silentLogger, { flushIntervalMs: 60_000 });
    sink.append(HERE, '/aws/lambda/f', 's', [{ timestamp: 1, message: 'one' }]);
    sink.append(THERE, '/aws/lambda/f', 's', [{ timestamp: 1, message: 'elsewhere' }]);
    sink.append(HERE, '/aws/lambda/f', 's', [{ timestamp: 2, message: 'two' }]);
    expect(await store.logs.events(HERE, { logGroupName: '/aws/lambda/f', limit: 10 })).toEqual([]);
    await sink.flush();
    const events = await store.logs.events(HERE, { logGroupName: '/aws/lambda/f', limit: 10 });
    expect(events.map((e) => e.message)).toEqual(['one', 'two']);
    expect((await store.logs.events(THERE, { logGroupName: '/aws/lambda/f', limit: 10 })).map((e) => e.message)).toEqual(['elsewhere']);
    await store.close();
  });

  it('keeps memory bounded by dropping the oldest lines, and counts them', async () => {
    const store = openStore();
    const sink = new BatchingLogSink(store.logs, clock, silentLogger, { flushIntervalMs: 60_000, maxBufferedEvents: 10 });
    for (let i = 0; i < 25; i++) sink.append(HERE, '/g', 's', [{ timestamp: i, message: `m${i}` }]);
    await sink.flush();
    const events = await store.logs.events(HERE, { logGroupName: '/g', limit: 100 });
    expect(events.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 15}`));
    expect(sink.dropped).toBe(15);
    await store.close();
  });
});
