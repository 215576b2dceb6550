/**
 * The messages of InvokeWithResponseStream's `application/vnd.amazon.eventstream` body: one
 * `PayloadChunk` per piece of the response (its `Payload` blob is the message body) and one
 * closing `InvokeComplete` (a JSON body with ErrorCode, ErrorDetails, LogResult). The framing
 * (prelude, headers, CRC32s) is the SDK's own codec, the one the client decodes with.
 * https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStreamResponseEvent.html
 * https://smithy.io/2.0/aws/amazon-eventstream.html
 */
import { EventStreamCodec } from '@smithy/core/event-streams';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** InvokeWithResponseStreamCompleteEvent: all members optional; a clean end has none but LogResult. */
export interface InvokeComplete {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

function event(eventType: string, contentType: string, body: Uint8Array): Buffer {
  const message = codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: contentType },
    },
    body,
  });
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}

/** A `PayloadChunk` event carrying `chunk` as its Payload. */
export function payloadChunk(chunk: Uint8Array): Buffer {
  return event('PayloadChunk', 'application/octet-stream', chunk);
}

/** The closing `InvokeComplete` event. */
export function invokeComplete(complete: InvokeComplete): Buffer {
  return event('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete)));
}

/**
 * ErrorCode and ErrorDetails of a failed invocation, from its error object
 * (`{"errorType":…,"errorMessage":…}`): AWS does not document their values; Nimbus gives the
 * error's type (e.g. `Error`, `Sandbox.Timedout`) and message, `Unhandled` when the object has no type.
 */
export function errorOf(errorPayload: Buffer): Pick<InvokeComplete, 'ErrorCode' | 'ErrorDetails'> {
  let value: unknown;
  try {
    value = JSON.parse(errorPayload.toString('utf8'));
  } catch {
    value = undefined;
  }
  const error = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const type = typeof error.errorType === 'string' && error.errorType !== '' ? error.errorType : 'Unhandled';
  const message = typeof error.errorMessage === 'string' ? error.errorMessage : errorPayload.toString('utf8');
  return { ErrorCode: type, ErrorDetails: message };
}
