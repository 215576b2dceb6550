/**
 * The bounds of a log read: CloudWatch's 10,000 events and 1 MB per response, chunked store
 * reads, tokens we did not issue refused, and `*` wildcards that stay linear on long messages.
 */
import { describe, expect, it } from 'vitest';
import type { StoredLogEvent } from './store/log-store.js';
import { AwsError } from '../../shared/errors.js';
import { compileFilterPattern } from './filter-pattern.js';
import { wildcard } from './json-filter-pattern.js';
import { CHUNK, collectEvents, MAX_RESPONSE_BYTES, type ChunkReader } from './log-event-reader.js';
import { countAfter, encodeToken, groupAfter, readEventToken } from './logs-tokens.js';

/** A store of `sizes.length` events (ids 1..n) whose messages have those lengths; counts reads. */
function store(sizes: number[]) {
  const events: StoredLogEvent[] = sizes.map((n, i) => ({ id: i + 1, logStreamName: 's', timestamp: i, ingestionTime: i, message: 'x'.repeat(n) }));
  const reads: number[] = [];
  const read: ChunkReader = async (cursor, limit) => {
    reads.push(limit);
    return events.filter((e) => cursor === undefined || e.id > cursor).slice(0, limit);
  };
  return { read, reads };
}

describe('collectEvents', () => {
  it.each([
    ['all of a small stream', [10, 10, 10], 100, [1, 2, 3], false],
    ['stops at the limit', [10, 10, 10], 2, [1, 2], true],
    ['stops before the event that would pass 1 MB', [400_000, 400_000, 400_000], 100, [1, 2], true],
    ['returns a first event even of 1 MB', [MAX_RESPONSE_BYTES, 10], 100, [1], true],
  ])('%s', async (_what, sizes, limit, ids, stopped) => {
    const got = await collectEvents(store(sizes).read, { limit });
    expect(got.events.map((e) => e.id)).toEqual(ids);
    expect(got.stopped).toBe(stopped);
  });

  it(`reads the store ${CHUNK} rows at a time and resumes after the last row it decided on`, async () => {
    const s = store(Array.from({ length: 250 }, () => 1));
    const got = await collectEvents(s.read, { limit: 10_000, match: (m) => m === 'never' });
    expect(s.reads).toEqual([CHUNK, CHUNK, CHUNK]);
    expect([got.events.length, got.lastId, got.stopped]).toEqual([0, 250, false]);
    const resumed = await collectEvents(store([1, 1, 1]).read, { limit: 1, cursor: 1 });
    expect([resumed.events.map((e) => e.id), resumed.lastId]).toEqual([[2], 2]);
  });
});

describe('tokens', () => {
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof AwsError ? `${err.code}: ${err.message}` : String(err);
    }
    return 'accepted';
  };
  const INVALID = 'InvalidParameterException: The specified nextToken is invalid.';
  it.each([
    ['a stream offset below 0', () => countAfter(encodeToken(-1))],
    ['a fractional offset', () => countAfter(encodeToken(1.5))],
    ['a name for an offset', () => countAfter(encodeToken('x'))],
    ['an offset for a name', () => groupAfter(encodeToken(3))],
    ['not base64 JSON', () => countAfter('%%%')],
    ['an event token of letters', () => readEventToken('f/abc')],
    ['an event token beyond safe integers', () => readEventToken(`b/${'9'.repeat(56)}`)],
    ['an event token without direction', () => readEventToken('00001')],
  ])('refuses %s', (_what, f) => {
    expect(refused(f)).toBe(INVALID);
  });
  it('reads back what it wrote', () => {
    expect([countAfter(encodeToken(40)), groupAfter(encodeToken('/aws/lambda/f')), readEventToken(`f/${'0'.repeat(55)}7`)]).toEqual([40, '/aws/lambda/f', { direction: 'f', id: 7 }]);
  });
});

describe('wildcard', () => {
  it.each([
    ['a*c', 'abc', true],
    ['a*c', 'ac', true],
    ['a*c', 'abd', false],
    ['*ERROR*', 'x ERROR y', true],
    ['*', '', true],
    ['a*b*a', 'aba', true],
    ['a*b*a', 'ab', false],
    ['ab*ba', 'aba', false],
    ['**x**', 'yxy', true],
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(wildcard(pattern)(value)).toBe(expected);
  });

  it('stays linear where a regular expression would backtrack for ever', () => {
    const started = Date.now();
    expect(wildcard(`${'*a'.repeat(300)}*b`)('a'.repeat(256_000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe("JSON filter selectors named like Object.prototype's properties", () => {
  const matches = (pattern: string, message: string) => compileFilterPattern(pattern)(message);
  it.each([
    ['{ $.constructor = "*" }', '{"a":1}', false],
    ['{ $.toString = "*" }', '{"a":1}', false],
    ['{ $.__proto__ NOT EXISTS }', '{"a":1}', true],
    ['{ $.constructor = "x" }', '{"constructor":"x"}', true],
    ['{ $.a.valueOf NOT EXISTS }', '{"a":{"b":1}}', true],
  ])('%s against %s: %s', (pattern, message, expected) => {
    expect(matches(pattern, message)).toBe(expected);
  });
});
