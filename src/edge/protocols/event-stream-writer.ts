/**
 * Writes an operation's event stream output (`application/vnd.amazon.eventstream`) from the
 * handler's AsyncIterable of events, each `{ EventName: { ...members } }`, as the model's event
 * shapes say: the `eventpayload` member is the message body (a blob as it is, a string as text,
 * a structure as JSON), `eventheader` members are message headers, and an event without a
 * payload member is its other members as JSON. The HTTP head goes out with the first event, so
 * a failure before it (a throttle) is still an ordinary error response; after it, a failure can
 * only cut the connection. The framing is the SDK's own codec, the one clients decode with.
 * https://smithy.io/2.0/spec/streaming.html#event-streams
 */
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { Member, Shape } from '../../kit/models/shapes.js';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

type HeaderValue = { type: 'string'; value: string } | { type: 'boolean'; value: boolean } | { type: 'integer'; value: number };

/** One event of a stream whose union shape is `stream`, encoded as a message. */
export function encodeEvent(stream: Shape, event: Record<string, unknown>): Buffer {
  const name = Object.keys(event).find((k) => Object.hasOwn(stream.members, k) && event[k] != null);
  if (!name) throw new Error(`not an event of ${stream.name}: ${Object.keys(event).join(', ')}`);
  const shape = stream.members[name]!.shape;
  const value = event[name] as Record<string, unknown>;
  const headers: Record<string, HeaderValue> = {
    ':event-type': { type: 'string', value: name },
    ':message-type': { type: 'string', value: 'event' },
  };
  let body: Buffer;
  let contentType: string;
  const members = Object.values(shape.members);
  const payload = members.find((m) => m.eventpayload);
  if (payload) {
    [body, contentType] = payloadOf(payload, value[payload.name]);
  } else {
    const json: Record<string, unknown> = {};
    for (const m of members) if (!m.eventheader && value[m.name] !== undefined) json[m.name] = value[m.name];
    [body, contentType] = [Buffer.from(JSON.stringify(json)), 'application/json'];
  }
  for (const m of members) if (m.eventheader && value[m.name] != null) headers[m.name] = headerOf(m, value[m.name]);
  headers[':content-type'] = { type: 'string', value: contentType };
  const message = codec.encode({ headers, body });
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}

function payloadOf(member: Member, value: unknown): [Buffer, string] {
  if (member.shape.type === 'blob') return [value == null ? Buffer.alloc(0) : Buffer.from(value as Uint8Array), 'application/octet-stream'];
  if (member.shape.type === 'string') return [Buffer.from(String(value ?? '')), 'text/plain'];
  return [Buffer.from(JSON.stringify(value ?? {})), 'application/json'];
}

function headerOf(member: Member, value: unknown): HeaderValue {
  if (member.shape.type === 'boolean') return { type: 'boolean', value: Boolean(value) };
  if (member.shape.type === 'integer') return { type: 'integer', value: Number(value) };
  return { type: 'string', value: String(value) };
}

/**
 * Writes the head (`status`, `headers`) with the first event, then every event as it comes;
 * stops the producer when the client goes away. Rejects before the head when the stream fails
 * before its first event; after the head, a failure destroys the response.
 */
export async function writeEventStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  stream: Shape,
  events: AsyncIterable<Record<string, unknown>>,
): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  const stop = () => void iterator.return?.()?.catch(() => {});
  let next = await iterator.next();
  res.writeHead(status, { ...headers, 'Content-Type': EVENT_STREAM_CONTENT_TYPE });
  res.flushHeaders();
  res.once('close', () => {
    if (!res.writableFinished) stop();
  });
  try {
    while (!next.done) {
      if (res.destroyed) return stop();
      res.write(encodeEvent(stream, next.value));
      next = await iterator.next();
    }
    res.end();
  } catch {
    res.destroy();
  }
}
