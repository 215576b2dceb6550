import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without type declarations
import { parseResponse } from './runtime-api-client.mjs';

const text = (s: string) => Buffer.from(s, 'latin1');

describe('parseResponse', () => {
  it('waits for the whole head and body', () => {
    const full = 'HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nContent-Length: 7\r\n\r\n{"a":1}';
    for (let cut = 0; cut < full.length; cut++) expect(parseResponse(text(full.slice(0, cut)))).toBeNull();
    const parsed = parseResponse(text(full));
    expect(parsed.response.status).toBe(200);
    expect(parsed.response.headers['lambda-runtime-aws-request-id']).toBe('r1');
    expect(parsed.response.body.toString()).toBe('{"a":1}');
    expect(parsed.consumed).toBe(full.length);
  });

  it('parses pipelined responses one at a time', () => {
    const two = text('HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1');
    const first = parseResponse(two);
    expect(first.response.status).toBe(202);
    const second = parseResponse(two.subarray(first.consumed));
    expect(second.response.body.toString()).toBe('1');
  });

  it('decodes chunked bodies and notices Connection: close', () => {
    const chunked = text('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    const parsed = parseResponse(chunked);
    expect(parsed.response.body.toString()).toBe('abcde');
    expect(parsed.consumed).toBe(chunked.length);
    expect(parsed.close).toBe(true);
    expect(parseResponse(chunked.subarray(0, chunked.length - 2))).toBeNull();
  });
});
