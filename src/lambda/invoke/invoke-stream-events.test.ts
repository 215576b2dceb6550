import { EventStreamCodec } from '@smithy/core/event-streams';
import { describe, expect, it } from 'vitest';
import { errorOf, invokeComplete, payloadChunk } from './invoke-stream-events.js';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

function decode(message: Buffer) {
  const { headers, body } = codec.decode(message);
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.value]));
  return { headers: h, body: Buffer.from(body) };
}

describe('event stream messages', () => {
  it('frames a PayloadChunk with the chunk as its body', () => {
    const chunk = Buffer.from([0, 1, 2, 255, 0x7b]);
    const message = payloadChunk(chunk);
    // Prelude: total length, headers length, prelude CRC; then headers, body, message CRC.
    expect(message.readUInt32BE(0)).toBe(message.length);
    const got = decode(message);
    expect(got.headers).toEqual({ ':event-type': 'PayloadChunk', ':message-type': 'event', ':content-type': 'application/octet-stream' });
    expect(got.body.equals(chunk)).toBe(true);
  });

  it('frames InvokeComplete as JSON, with only the members given', () => {
    expect(decode(invokeComplete({})).body.toString()).toBe('{}');
    const got = decode(invokeComplete({ ErrorCode: 'Error', ErrorDetails: 'boom', LogResult: 'bG9n' }));
    expect(got.headers[':event-type']).toBe('InvokeComplete');
    expect(got.headers[':content-type']).toBe('application/json');
    expect(JSON.parse(got.body.toString())).toEqual({ ErrorCode: 'Error', ErrorDetails: 'boom', LogResult: 'bG9n' });
  });

  it('a corrupted message fails its checksum', () => {
    const message = payloadChunk(Buffer.from('hello'));
    message[message.length - 6] ^= 0xff;
    expect(() => codec.decode(message)).toThrow(/checksum/i);
  });
});

describe('errorOf', () => {
  it('takes the error object’s type and message', () => {
    const payload = Buffer.from(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' }));
    expect(errorOf(payload)).toEqual({ ErrorCode: 'Sandbox.Timedout', ErrorDetails: 'Task timed out after 1.00 seconds' });
  });

  it('falls back to Unhandled and the raw body when the object is not one', () => {
    expect(errorOf(Buffer.from('not json'))).toEqual({ ErrorCode: 'Unhandled', ErrorDetails: 'not json' });
    expect(errorOf(Buffer.from('{"errorMessage":"m"}'))).toEqual({ ErrorCode: 'Unhandled', ErrorDetails: 'm' });
  });
});
