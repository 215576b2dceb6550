// @ts-check
/**
 * A minimal HTTP/1.1 client for the Runtime API, on one keep-alive socket.
 *
 * Why not node:http: the invoke loop makes two requests per invocation, and node:http's client
 * machinery (agent, parser, streams) costs more CPU than the handler of a typical function —
 * measured at about twice the round trip of this client. The Runtime API needs little of
 * HTTP: small requests, Content-Length (or chunked) responses, in order. Requests may be
 * pipelined: the response POST and the next GET leave in one write, and answers come back in
 * order.
 *
 * While nothing is in flight the socket is unref'd, so an idle connection does not keep the
 * event loop alive (`callbackWaitsForEmptyEventLoop` relies on the loop emptying).
 */
import net from 'node:net';

/**
 * @typedef {{ status: number, headers: Record<string, string>, body: Buffer }} ApiResponse
 * @typedef {(err: Error | null, res?: ApiResponse) => void} ApiCallback
 */

const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

export class RuntimeApiClient {
  /**
   * @param {string} host
   * @param {number} port
   * @param {string} [socketPath] a unix socket serving the same API, used instead of host:port
   */
  constructor(host, port, socketPath) {
    this.host = host;
    this.port = port;
    this.socketPath = socketPath;
    this.hostHeader = `Host: ${host.includes(':') ? `[${host}]` : host}:${port}\r\n`;
    /** @type {net.Socket | null} */
    this.socket = null;
    /** @type {ApiCallback[]} callbacks of requests sent and not yet answered, in order */
    this.pending = [];
    /** @type {Buffer} bytes received and not yet parsed */
    this.buffered = EMPTY;
  }

  /**
   * Sends one request; `cb` gets the response (any status) or a connection error.
   * @param {string} method
   * @param {string} path
   * @param {Record<string, string>} headers
   * @param {string | null} body
   * @param {ApiCallback} cb
   */
  request(method, path, headers, body, cb) {
    const socket = this.connect();
    let head = `${method} ${path} HTTP/1.1\r\n${this.hostHeader}`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    if (body !== null) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    else head += '\r\n';
    if (this.pending.length === 0) socket.ref();
    this.pending.push(cb);
    socket.write(head);
  }

  /**
   * Runs `fn` with writes gathered, so requests it makes leave in one packet.
   * @param {() => void} fn
   */
  batch(fn) {
    const socket = this.connect();
    socket.cork();
    try {
      fn();
    } finally {
      socket.uncork();
    }
  }

  /** @returns {net.Socket} */
  connect() {
    if (this.socket) return this.socket;
    const socket = this.socketPath
      ? net.connect({ path: this.socketPath })
      : net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.unref();
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', (err) => this.reset(err));
    socket.on('close', () => this.reset(Object.assign(new Error('Runtime API connection closed'), { code: 'ECONNRESET' })));
    this.socket = socket;
    return socket;
  }

  /**
   * The connection is gone: requests in flight fail; the next request reconnects.
   * @param {Error} err
   */
  reset(err) {
    if (this.socket) this.socket.destroy();
    this.socket = null;
    this.buffered = EMPTY;
    const failed = this.pending;
    this.pending = [];
    for (const cb of failed) cb(err);
  }

  /** @param {Buffer} chunk */
  receive(chunk) {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const parsed = parseResponse(this.buffered);
      if (parsed === null) return;
      this.buffered = this.buffered.subarray(parsed.consumed);
      const cb = this.pending.shift();
      if (this.pending.length === 0 && this.socket) this.socket.unref();
      if (cb) cb(null, parsed.response);
      if (parsed.close) return this.reset(new Error('Runtime API closed the connection'));
    }
  }
}

/**
 * Parses one complete response at the start of `buf`, or returns null when more bytes are needed.
 * @param {Buffer} buf
 * @returns {{ response: ApiResponse, consumed: number, close: boolean } | null}
 */
export function parseResponse(buf) {
  const end = buf.indexOf(CRLF2);
  if (end < 0) return null;
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const status = Number(lines[0]?.split(' ')[1]);
  /** @type {Record<string, string>} */
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const start = end + 4;
  const close = /\bclose\b/i.test(headers.connection ?? '');
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    const chunked = parseChunked(buf, start);
    if (chunked === null) return null;
    return { response: { status, headers, body: chunked.body }, consumed: chunked.consumed, close };
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < start + length) return null;
  // Copy out: the body must not pin the receive buffer it was sliced from.
  return { response: { status, headers, body: Buffer.from(buf.subarray(start, start + length)) }, consumed: start + length, close };
}

/**
 * @param {Buffer} buf
 * @param {number} at
 * @returns {{ body: Buffer, consumed: number } | null}
 */
function parseChunked(buf, at) {
  /** @type {Buffer[]} */
  const parts = [];
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
    if (!Number.isFinite(size)) throw new Error('Runtime API sent a malformed chunked body');
    const dataStart = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = buf.indexOf(CRLF2, lineEnd);
      // No trailers: the terminating CRLF follows the zero-size line directly.
      const done = buf.subarray(dataStart, dataStart + 2).toString('latin1') === '\r\n' ? dataStart + 2 : trailerEnd < 0 ? -1 : trailerEnd + 4;
      if (done < 0 || buf.length < done) return null;
      return { body: Buffer.concat(parts), consumed: done };
    }
    if (buf.length < dataStart + size + 2) return null;
    parts.push(buf.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}
