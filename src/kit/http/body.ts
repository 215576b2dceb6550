/**
 * Reads a request body into one Buffer, with a size limit enforced from Content-Length before
 * reading and from the bytes themselves while reading (chunked uploads have no length).
 */
import type { IncomingMessage } from 'node:http';
import { AwsError } from '../../shared/errors.js';

/** Lambda's wording, which Nimbus answers for every service's over-long body (413). */
export function bodyTooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the operation.`, 413, { Type: 'User' });
}

/** The client went away before sending its whole body; there is no one to answer. */
export class ClientAbortedError extends Error {
  override readonly name = 'ClientAbortedError';
}

const EMPTY = Buffer.alloc(0);

/**
 * The whole body. Rejects with RequestEntityTooLargeException past `limit` bytes, or with
 * ClientAbortedError. An over-long body is cut at once (reading stops; the caller answers with
 * `Connection: close`), unless it is at most `drainBytes` over: then the rest is read and
 * dropped first, so that a client that sent a little too much (an SDK mid-upload) gets its 413
 * on a connection it can keep, instead of a reset it would report as a timeout.
 */
export function readBody(req: IncomingMessage, limit: number, drainBytes = 0): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const drainTo = limit + drainBytes;
  if (declared > drainTo) return Promise.reject(bodyTooLarge(limit));
  if (req.readableEnded) return Promise.resolve(EMPTY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > limit;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainTo) {
        cleanup();
        req.pause();
        reject(bodyTooLarge(limit));
        return;
      }
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (over) reject(bodyTooLarge(limit));
      else resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new ClientAbortedError('request stream failed'));
    };
    const onClose = () => {
      cleanup();
      reject(new ClientAbortedError('client closed the connection before the body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
