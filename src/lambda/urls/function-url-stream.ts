/**
 * RESPONSE_STREAM function URLs: a streamed response goes to the HTTP client chunk by chunk, as
 * the runtime posts it (the Runtime API's streaming mode, `ResponseStreamSink`).
 *
 * With Content-Type `application/vnd.awslambda.http-integration-response` (what the Node.js
 * runtime's `awslambda.HttpResponseStream.from` sends) the body starts with a JSON prelude
 * `{"statusCode":…,"headers":{…},"cookies":[…]}` and 8 NUL bytes; the prelude becomes the status
 * and headers, the rest is the body. Without it the response is 200 with the runtime's
 * Content-Type (the Node.js runtime's default: `application/octet-stream`) and the bytes as body.
 * https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html
 */
import type { ServerResponse } from 'node:http';
import type { ResponseStreamSink } from '../../sandbox/types.js';
import { responseHead } from './function-url-response.js';

export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** A prelude longer than this without its separator is not one. */
export const MAX_PRELUDE_BYTES = 64 * 1024;

const SEPARATOR = Buffer.alloc(8);

/** Status and headers of a streamed HTTP response; lowercased names, `set-cookie` a list. */
export interface StreamHead {
  statusCode: number;
  headers: Record<string, string | string[]>;
}

/** The prelude's JSON as status and headers; undefined when it is not a valid prelude. */
export function parsePrelude(json: Buffer): StreamHead | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const p = value as Record<string, unknown>;
  // A prelude may leave the status out: 200.
  return responseHead({ ...p, statusCode: p.statusCode === undefined ? 200 : p.statusCode }, 'application/octet-stream');
}

/**
 * Splits the prelude off a streamed body, however the chunks cut it. `push` returns undefined
 * while the separator has not arrived, then the head and the body bytes after it; it throws
 * when the prelude is invalid or longer than MAX_PRELUDE_BYTES.
 */
export class PreludeReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { head: StreamHead; rest: Buffer } | undefined {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const at = this.buffered.indexOf(SEPARATOR);
    if (at < 0) {
      if (this.buffered.length > MAX_PRELUDE_BYTES) throw new Error('prelude too long');
      return undefined;
    }
    const head = parsePrelude(this.buffered.subarray(0, at));
    if (!head) throw new Error('invalid prelude');
    const rest = this.buffered.subarray(at + SEPARATOR.length);
    this.buffered = Buffer.alloc(0);
    return { head, rest };
  }
}

const isIntegration = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === HTTP_INTEGRATION_CONTENT_TYPE;

/**
 * Writes a streamed response to the client: headers once known (`decorate` adds CORS and the
 * like), then each chunk as it comes, chunked. `started` says whether anything reached the
 * client; `failed` whether the prelude was unusable (the caller answers 502 then, if it can).
 */
export class UrlResponseStream implements ResponseStreamSink {
  failed = false;
  private reader: PreludeReader | undefined;
  /** The head of a response without prelude, sent with its first chunk (or at its end). */
  private plainHead: StreamHead | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly decorate: (headers: Record<string, string | string[]>) => void,
  ) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  begin(contentType: string | undefined): void {
    if (isIntegration(contentType)) this.reader = new PreludeReader();
    else this.plainHead = { statusCode: 200, headers: { 'content-type': contentType ?? 'application/octet-stream' } };
  }

  write(chunk: Buffer): void {
    if (this.failed || this.res.destroyed) return;
    if (this.started) {
      this.res.write(chunk);
      return;
    }
    if (this.plainHead) {
      this.start(this.plainHead);
      this.res.write(chunk);
      return;
    }
    if (!this.reader) return;
    let got: ReturnType<PreludeReader['push']>;
    try {
      got = this.reader.push(chunk);
    } catch {
      this.failed = true;
      return;
    }
    if (!got) return;
    this.start(got.head);
    if (got.rest.length > 0) this.res.write(got.rest);
  }

  /**
   * Ends a stream the function completed: false when it has no usable head (a prelude that was
   * invalid or never finished), for the caller to answer 502.
   */
  end(): boolean {
    if (!this.started) {
      if (!this.plainHead) return false;
      this.start(this.plainHead);
    }
    this.res.end();
    return true;
  }

  private start(head: StreamHead): void {
    this.decorate(head.headers);
    this.res.writeHead(head.statusCode, head.headers);
    this.res.flushHeaders();
  }
}
