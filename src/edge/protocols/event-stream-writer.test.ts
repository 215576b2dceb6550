import { EventStreamCodec } from '@smithy/core/event-streams';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../kit/models/models.js';
import { ShapeResolver } from '../../kit/models/shapes.js';
import { encodeEvent } from './event-stream-writer.js';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

const model = loadModel('lambda');
const stream = new ShapeResolver(model).operationShape({ shape: 'InvokeWithResponseStreamResponseEvent' })!;

function decode(message: Buffer) {
  const { headers, body } = codec.decode(message);
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.value]));
  return { headers: h, body: Buffer.from(body) };
}

describe('event stream messages, from the model’s event shapes', () => {
  it('frames an event whose payload member is a blob with the bytes as its body', () => {
    const chunk = Buffer.from([0, 1, 2, 255, 0x7b]);
    const message = encodeEvent(stream, { PayloadChunk: { Payload: chunk } });
    // Prelude: total length, headers length, prelude CRC; then headers, body, message CRC.
    expect(message.readUInt32BE(0)).toBe(message.length);
    const got = decode(message);
    expect(got.headers).toEqual({ ':event-type': 'PayloadChunk', ':message-type': 'event', ':content-type': 'application/octet-stream' });
    expect(got.body.equals(chunk)).toBe(true);
  });

  it('frames an event without a payload member as JSON of the members given', () => {
    expect(decode(encodeEvent(stream, { InvokeComplete: {} })).body.toString()).toBe('{}');
    const got = decode(encodeEvent(stream, { InvokeComplete: { ErrorCode: 'Error', ErrorDetails: 'boom', LogResult: 'bG9n' } }));
    expect(got.headers[':event-type']).toBe('InvokeComplete');
    expect(got.headers[':content-type']).toBe('application/json');
    expect(JSON.parse(got.body.toString())).toEqual({ ErrorCode: 'Error', ErrorDetails: 'boom', LogResult: 'bG9n' });
  });

  it('refuses what is not an event of the stream, and a corrupted message fails its checksum', () => {
    expect(() => encodeEvent(stream, { toString: {} })).toThrow(/not an event/);
    const message = encodeEvent(stream, { PayloadChunk: { Payload: Buffer.from('hello') } });
    message[message.length - 6] ^= 0xff;
    expect(() => codec.decode(message)).toThrow(/checksum/i);
  });
});
