import { describe, expect, it } from 'vitest';
import { MAX_PRELUDE_BYTES, parsePrelude, PreludeReader } from './function-url-stream.js';

const NUL8 = Buffer.alloc(8);

describe('parsePrelude', () => {
  it('takes statusCode, lowercased headers and cookies as set-cookie', () => {
    const head = parsePrelude(Buffer.from(JSON.stringify({ statusCode: 201, headers: { 'Content-Type': 'text/plain', 'X-N': 1 }, cookies: ['a=1', 'b=2'] })));
    expect(head).toEqual({ statusCode: 201, headers: { 'content-type': 'text/plain', 'x-n': '1', 'set-cookie': ['a=1', 'b=2'] } });
  });

  it('defaults to 200 application/octet-stream, and accepts a numeric string status', () => {
    expect(parsePrelude(Buffer.from('{}'))).toEqual({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' } });
    expect(parsePrelude(Buffer.from('{"statusCode":"404"}'))?.statusCode).toBe(404);
  });

  it('refuses what is not a prelude', () => {
    for (const text of ['not json', '[]', 'null', '"x"', '{"statusCode":99}', '{"statusCode":600}', '{"statusCode":"abc"}']) {
      expect(parsePrelude(Buffer.from(text)), text).toBeUndefined();
    }
  });
});

describe('PreludeReader', () => {
  const stream = Buffer.concat([Buffer.from('{"statusCode":202,"headers":{"a":"b"}}'), NUL8, Buffer.from('body\0bytes')]);

  it('splits the prelude off in one chunk', () => {
    const got = new PreludeReader().push(stream);
    expect(got?.head).toEqual({ statusCode: 202, headers: { a: 'b', 'content-type': 'application/octet-stream' } });
    expect(got?.rest.toString()).toBe('body\0bytes');
  });

  it('waits for the separator however the chunks cut it, byte by byte included', () => {
    const reader = new PreludeReader();
    let got: ReturnType<PreludeReader['push']>;
    let i = 0;
    for (; i < stream.length && !got; i++) got = reader.push(stream.subarray(i, i + 1));
    expect(got?.head.statusCode).toBe(202);
    expect(got?.rest.length).toBe(0);
    expect(i).toBe(stream.indexOf(NUL8) + 8);
  });

  it('throws on an invalid prelude and on one that never ends', () => {
    expect(() => new PreludeReader().push(Buffer.concat([Buffer.from('{oops'), NUL8]))).toThrow();
    const reader = new PreludeReader();
    expect(reader.push(Buffer.alloc(MAX_PRELUDE_BYTES, 'x'))).toBeUndefined();
    expect(() => reader.push(Buffer.from('xx'))).toThrow();
  });
});
