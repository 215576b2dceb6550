// @ts-check
/**
 * Response streaming for Nimbus's Node.js runtime client, as AWS's
 * (aws-lambda-nodejs-runtime-interface-client `HttpResponseStream.js`, `StreamingContext.js`):
 *
 *   awslambda.streamifyResponse(async (event, responseStream, context) => { … })
 *   awslambda.HttpResponseStream.from(responseStream, { statusCode, headers, cookies })
 *
 * The response stream is a Writable over a POST /invocation/{id}/response of its own, in the
 * Runtime API's streaming mode (`Lambda-Runtime-Function-Response-Mode: streaming`, chunked):
 * every write leaves as it is made. A failure after the stream began travels in the trailers
 * `Lambda-Runtime-Function-Error-Type` and `-Error-Body` (base64).
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming
 */
import http from 'node:http';
import { Writable } from 'node:stream';

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
/** The RIC's default Content-Type of a streamed response. */
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const ERROR_TYPE = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY = 'Lambda-Runtime-Function-Error-Body';

/**
 * Marks `handler` as a streaming handler: `(event, responseStream, context)`.
 * @template {Function} T
 * @param {T} handler
 * @returns {T}
 */
export function streamifyResponse(handler) {
  if (typeof handler !== 'function') throw new TypeError('streamifyResponse expects a function');
  /** @type {any} */ (handler)[HANDLER_STREAMING] = STREAM_RESPONSE;
  return handler;
}

/** @param {unknown} handler */
export function isStreamingHandler(handler) {
  return typeof handler === 'function' && /** @type {any} */ (handler)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

/**
 * @typedef {Writable & {
 *   setContentType(type: string): void,
 *   fail(errorType: string, body: string): void,
 *   _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void,
 * }} ResponseStream
 */

export class HttpResponseStream {
  /**
   * Writes the HTTP integration prelude (JSON, then 8 NUL bytes) before the body.
   * @param {ResponseStream} stream
   * @param {{ statusCode?: number, headers?: Record<string, string>, cookies?: string[] } | undefined} prelude
   * @returns {ResponseStream}
   */
  static from(stream, prelude) {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const json = JSON.stringify(prelude ?? {});
    stream._onBeforeFirstWrite = (write) => {
      write(json);
      write(new Uint8Array(8));
    };
    return stream;
  }
}

/**
 * Opens the streamed response POST; `done` runs once the Runtime API answered it (or failed).
 * @param {string} host
 * @param {number} port
 * @param {string} path
 * @param {(err: Error | null) => void} done
 * @returns {ResponseStream}
 */
export function openResponseStream(host, port, path, done) {
  const req = http.request({
    agent: false,
    host,
    port,
    path,
    method: 'POST',
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      'Content-Type': DEFAULT_CONTENT_TYPE,
      Trailer: `${ERROR_TYPE}, ${ERROR_BODY}`,
    },
  });
  let answered = false;
  /** @param {Error | null} err */
  const finish = (err) => {
    if (answered) return;
    answered = true;
    done(err);
  };
  req.on('response', (res) => {
    res.on('end', () => finish(null));
    res.resume();
  });
  req.on('error', finish);
  let began = false;
  const begin = () => {
    if (began) return;
    began = true;
    stream._onBeforeFirstWrite?.((chunk) => req.write(chunk));
  };
  const stream = /** @type {ResponseStream} */ (
    new Writable({
      write(chunk, _encoding, cb) {
        begin();
        req.write(chunk, () => cb());
      },
      final(cb) {
        begin();
        req.end();
        cb();
      },
    })
  );
  stream.setContentType = (type) => {
    if (!req.headersSent) req.setHeader('Content-Type', type);
  };
  stream.fail = (errorType, body) => {
    if (stream.writableEnded) {
      // Ended already: the error can no longer travel with this response.
      if (stream.writableFinished) return;
    }
    req.addTrailers({
      // Header values must be visible latin1.
      [ERROR_TYPE]: errorType.replace(/[^\t\x20-\x7e\x80-\xff]/g, ''),
      [ERROR_BODY]: Buffer.from(body).toString('base64'),
    });
    if (!stream.writableEnded) stream.end();
  };
  return stream;
}
