/**
 * A request body handed to an operation as a stream instead of one buffer, for operations that
 * take large bodies in flat memory (S3's PutObject and UploadPart; Lambda's Invoke reads its
 * 6 MB this way too). Its bytes are counted against the operation's cap as they come, and hashed:
 * at the end `finish(sha256Hex)` verifies what the signature said of the body (throwing the
 * edge's AWS error), so a handler sees the stream fail, never a last chunk, when the body is
 * not what was signed. A handler therefore commits nothing before it has read the whole stream.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { bodyTooLarge, ClientAbortedError } from './body.js';

/** What an operation receives for a streamed payload member. */
export interface BodyStream extends AsyncIterable<Buffer> {
  /** Bytes declared by Content-Length, when the client sent one. */
  readonly declaredLength: number | undefined;
  /** Reads the rest into one buffer (for a handler that needs it whole after all). */
  readAll(): Promise<Buffer>;
}

/** A BodyStream over a request, capped at `limit` bytes, verified by `finish` at its end. */
export function bodyStream(source: Readable & { headers?: Record<string, unknown> }, limit: number, finish: (sha256Hex: string) => void): BodyStream {
  const declared = Number(source.headers?.['content-length']);
  const declaredLength = Number.isFinite(declared) ? declared : undefined;
  let consumed = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    if (consumed) throw new Error('a request body can be read once');
    consumed = true;
    if (declaredLength !== undefined && declaredLength > limit) throw bodyTooLarge(limit);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        const buffer = chunk as Buffer;
        size += buffer.length;
        if (size > limit) throw bodyTooLarge(limit);
        hash.update(buffer);
        yield buffer;
      }
    } catch (err) {
      if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ECONNRESET') throw new ClientAbortedError('client went away');
      throw err;
    }
    if (source.readableAborted) throw new ClientAbortedError('client closed the connection before the body was complete');
    finish(hash.digest('hex'));
  }
  return {
    declaredLength,
    [Symbol.asyncIterator]: () => chunks(),
    async readAll() {
      const parts: Buffer[] = [];
      for await (const part of chunks()) parts.push(part);
      return Buffer.concat(parts);
    },
  };
}

/** Whether a value is a BodyStream (an input member an operation received streamed). */
export function isBodyStream(value: unknown): value is BodyStream {
  return typeof value === 'object' && value !== null && typeof (value as BodyStream).readAll === 'function' && Symbol.asyncIterator in value;
}
