/**
 * The Runtime API over HTTP/1.1, one node:http server per environment: on 127.0.0.1 and its own
 * port (unsandboxed), or on its own unix socket that a sandbox mounts and relays to its private
 * loopback. An environment only reaches its own endpoint, so it can only ever talk about its
 * own invocations, and closing the server drops exactly its connections.
 */
import { chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { randomHex } from '../../shared/ids.js';
import { invocationResponse } from './invocation-response.js';
import { accepted, invalidRequestId, invalidStateTransition, requestEntityTooLarge } from './replies.js';
import { matchRoute } from './router.js';
import type { RapiReply, RapiRequest, RuntimeApiBackend, RuntimeApiEndpoint, RuntimeApiTransport } from './types.js';

const EMPTY = Buffer.alloc(0);

/** Where endpoints listen: a loopback host (one port each) or a directory (one socket each). */
export type HttpListen = { host: string } | { socketDir: string };

/** Serves each environment's Runtime API on its own loopback port or unix socket. */
export class HttpRuntimeApiTransport implements RuntimeApiTransport {
  constructor(private readonly listen: HttpListen = { host: '127.0.0.1' }) {}

  open(backend: RuntimeApiBackend): Promise<RuntimeApiEndpoint> {
    const server = createServer(
      {
        // Runtimes long-poll GET /next and may think for minutes between calls: no idle,
        // header or request timeouts; the environment's own timers bound everything.
        keepAliveTimeout: 0,
        headersTimeout: 0,
        requestTimeout: 0,
        noDelay: true,
      },
      (req, res) => serve(req, res, backend),
    );
    const listen = this.listen;
    const socket = 'socketDir' in listen ? join(listen.socketDir, `${randomHex(8)}.sock`) : undefined;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const ready = () => {
        server.off('error', reject);
        // The sandbox's uid connects to it; the directory keeps everyone else out on the host.
        if (socket) chmodSync(socket, 0o666);
        const address = socket ?? `${(listen as { host: string }).host}:${(server.address() as AddressInfo).port}`;
        resolve({
          address,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              server.closeAllConnections();
            }),
        });
      };
      // A unix server unlinks its socket file on close.
      if (socket) server.listen(socket, ready);
      else server.listen(0, (listen as { host: string }).host, ready);
    });
  }
}

/**
 * Requests of one connection are handed to the backend strictly in order. node:http emits a
 * pipelined request as soon as its headers are parsed, before the previous request's body has
 * ended; a runtime that pipelines its response POST and its next GET (ours does) must have the
 * response land first.
 */
interface ConnectionQueue {
  busy: boolean;
  waiting: (() => void)[];
  /**
   * A 202 held back because a pipelined request follows it on this connection: it leaves with
   * that request's reply, in one write. A pipelining runtime does not wait for the 202, so
   * sending it alone would only wake the runtime for nothing.
   */
  held?: () => void;
}
const queues = new WeakMap<Socket, ConnectionQueue>();

function serve(req: IncomingMessage, res: ServerResponse, backend: RuntimeApiBackend): void {
  let queue = queues.get(req.socket);
  if (!queue) {
    queue = { busy: false, waiting: [] };
    queues.set(req.socket, queue);
  }
  const q = queue;
  const respond = (reply: RapiReply) => {
    if (reply.status === 202 && q.waiting.length > 0 && !q.held) {
      q.held = () => send(res, reply);
      return;
    }
    const held = q.held;
    if (!held) return send(res, reply);
    q.held = undefined;
    const socket = req.socket;
    socket.cork();
    held();
    send(res, reply);
    process.nextTick(() => socket.uncork());
  };
  const start = () => {
    q.busy = true;
    serveOne(req, res, backend, respond, () => {
      q.busy = false;
      q.waiting.shift()?.();
    });
  };
  if (q.busy) q.waiting.push(start);
  else start();
}

/** Reads one request and hands it to its route; `handed` runs once the backend has seen it. */
function serveOne(
  req: IncomingMessage,
  res: ServerResponse,
  backend: RuntimeApiBackend,
  respond: (reply: RapiReply) => void,
  handed: () => void,
): void {
  const match = matchRoute(req.method, req.url);
  if ('status' in match) {
    req.resume();
    respond(match);
    return handed();
  }
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (match.route.handle === invocationResponse && /^streaming$/i.test(header('lambda-runtime-function-response-mode') ?? '')) {
    return streamResponse(req, backend, respond, match.requestId, header('content-type'), handed);
  }
  // The common GET /next has no body: answer without waiting for the stream's end.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    match.route.handle({ header, body: EMPTY, bodyTooLarge: false }, backend, respond, match.requestId);
    return handed();
  }
  readCapped(req, match.route.maxBodyBytes, (body, bodyTooLarge) => {
    const request: RapiRequest = { header, body, bodyTooLarge };
    match.route.handle(request, backend, respond, match.requestId);
    handed();
  });
}

/**
 * POST /invocation/{id}/response in streaming mode
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming):
 * each chunk goes to the backend as it arrives; the end of the body is the response, or the
 * error named in the trailers `Lambda-Runtime-Function-Error-Type` / `-Error-Body` (base64).
 * Past the backend's cap the rest is drained and the invocation fails as too large.
 */
function streamResponse(
  req: IncomingMessage,
  backend: RuntimeApiBackend,
  respond: (reply: RapiReply) => void,
  requestId: string,
  contentType: string | undefined,
  handed: () => void,
): void {
  const refuse = (reply: RapiReply) => {
    req.resume();
    respond(reply);
    handed();
  };
  if (requestId === '' || requestId !== backend.currentRequestId()) return refuse(invalidRequestId());
  const max = backend.streamBegin(contentType);
  if (max === false) return refuse(invalidStateTransition(backend.stateName(), 'InvocationResponse'));
  readCapped(
    req,
    max,
    (body, tooLarge) => {
      const trailer = (name: string) => req.trailers[name];
      const errorType = trailer('lambda-runtime-function-error-type');
      let reply = accepted();
      let ok: boolean;
      if (tooLarge) {
        ok = backend.responseTooLarge();
        reply = requestEntityTooLarge(max);
      } else if (errorType !== undefined) {
        ok = backend.error(errorType, Buffer.from(trailer('lambda-runtime-function-error-body') ?? '', 'base64'));
      } else {
        ok = backend.response(body);
      }
      respond(ok ? reply : invalidStateTransition(backend.stateName(), 'InvocationResponse'));
      handed();
    },
    {
      onChunk: (chunk) => backend.streamChunk(chunk),
      // The runtime hung up mid-stream: the invocation ends when its process does, or times out.
      onError: handed,
    },
  );
}

/**
 * Reads a body, keeping at most `max` bytes: past that, chunks are dropped as they come (the
 * stream is still drained so the keep-alive connection stays usable) and the body is flagged.
 * `onChunk` sees each kept chunk as it arrives (a streamed response); `onError`, a hang-up.
 */
function readCapped(
  req: IncomingMessage,
  max: number,
  done: (body: Buffer, tooLarge: boolean) => void,
  on: { onChunk?: (chunk: Buffer) => void; onError?: () => void } = {},
): void {
  const declared = Number(req.headers['content-length']);
  let tooLarge = Number.isFinite(declared) && declared > max;
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > max) {
      tooLarge = true;
      chunks.length = 0;
      return;
    }
    chunks.push(chunk);
    on.onChunk?.(chunk);
  });
  req.once('end', () => {
    if (tooLarge) return done(EMPTY, true);
    done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), false);
  });
  req.once('error', () => {
    // The runtime hung up mid-body: nothing to answer, and nothing after it on this connection.
    on.onError?.();
  });
}

function send(res: ServerResponse, reply: RapiReply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(reply.body.length) });
  res.end(reply.body);
}
