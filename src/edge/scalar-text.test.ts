import { describe, expect, it } from 'vitest';
import { decodeBase64, readTimestamp } from './scalar-text.js';

describe('readTimestamp: only the forms AWS protocols write', () => {
  it.each([
    ['1767225600', '2026-01-01T00:00:00.000Z'],
    ['1767225600.5', '2026-01-01T00:00:00.500Z'],
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T01:00:00.250+01:00', '2026-01-01T00:00:00.250Z'],
    ['Thu, 01 Jan 2026 00:00:00 GMT', '2026-01-01T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(readTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each(['1.2.3', 'abc 1', 'not-a-date', '2026-13-45T99:00:00Z', '', 'Tomorrow'])('refuses %j, which Date.parse might take', (text) => {
    expect(readTimestamp(text)).toBeUndefined();
  });
});

describe('decodeBase64', () => {
  it.each([
    ['', ''],
    ['QUJD', 'ABC'],
    ['QQ==', 'A'],
    ['QQ', 'A'],
    ['-_8', Buffer.from([0xfb, 0xff]).toString()],
  ])('reads %j', (text, bytes) => {
    expect(decodeBase64(text)?.toString()).toBe(bytes);
  });

  it.each(['!!!', 'QU JD', 'QQ==QQ==', 'Q', 'QQ===', 'QUJD\n'])('refuses %j, which Buffer.from would half-read', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });
});
