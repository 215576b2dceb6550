/**
 * A small in-process Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)
 * for testing runtime clients: it queues events, holds `GET /invocation/next` open until one is
 * queued, and records every response, error and init error with its headers. Tests wait on the
 * promises it hands out; nothing here sleeps.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface QueuedEvent {
  /** JSON-serialized as the body unless `rawBody` is given. */
  event?: unknown;
  rawBody?: string;
  requestId?: string;
  /** Absolute deadline (epoch ms); default now + 3 s. */
  deadlineMs?: number;
  invokedFunctionArn?: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

/** What the runtime posted for one request id (or for init). */
export interface RuntimePost {
  kind: 'response' | 'error' | 'init-error';
  requestId?: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `body` parsed as JSON (undefined if it is not JSON). */
  json: unknown;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Rejects with `label` if `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class FakeRuntimeApi {
  /** Every post, in arrival order. */
  readonly posts: RuntimePost[] = [];
  /** Number of `GET /invocation/next` requests received. */
  nextRequests = 0;
  /** Distinct TCP connections the runtime opened. */
  connections = 0;

  private readonly queue: QueuedEvent[] = [];
  private readonly waiting: ServerResponse[] = [];
  private readonly results = new Map<string, Deferred<RuntimePost>>();
  private readonly initError = deferred<RuntimePost>();
  private readonly sockets = new Set<Socket>();
  private nextWaiters: Array<Deferred<void>> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeRuntimeApi> {
    const server = createServer();
    // A runtime may sit idle between invokes for a long time; never drop its keep-alive socket.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    const api = new FakeRuntimeApi(server);
    server.on('connection', (socket: Socket) => {
      api.connections++;
      api.sockets.add(socket);
      socket.on('close', () => api.sockets.delete(socket));
    });
    server.on('request', (req, res) => api.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  /** Queues an event; resolves with what the runtime posted for it (response or error). */
  invoke(event: unknown, options: Omit<QueuedEvent, 'event'> = {}): Promise<RuntimePost> {
    const requestId = options.requestId ?? randomUUID();
    const result = deferred<RuntimePost>();
    this.results.set(requestId, result);
    this.queue.push({ ...options, event, requestId });
    this.dispatch();
    return result.promise;
  }

  /** Resolves with the init error, when the runtime posts one. */
  waitForInitError(): Promise<RuntimePost> {
    return this.initError.promise;
  }

  /** Resolves once the runtime is waiting in `GET /next` (it finished init or its last invoke). */
  waitForNext(): Promise<void> {
    if (this.waiting.length > 0) return Promise.resolve();
    const d = deferred<void>();
    this.nextWaiters.push(d);
    return d.promise;
  }

  async close(): Promise<void> {
    for (const res of this.waiting.splice(0)) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      this.nextRequests++;
      this.waiting.push(res);
      for (const waiter of this.nextWaiters.splice(0)) waiter.resolve();
      this.dispatch();
      return;
    }
    const match = /^\/2018-06-01\/runtime\/(?:invocation\/([^/]+)\/(response|error)|init\/(error))$/.exec(url);
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errorType":"NotFound"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const requestId = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
      const kind = match[3] ? 'init-error' : (match[2] as 'response' | 'error');
      const post: RuntimePost = { kind, requestId, headers: req.headers, body, json: parseJson(body) };
      this.posts.push(post);
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      if (kind === 'init-error') this.initError.resolve(post);
      else if (requestId !== undefined) this.results.get(requestId)?.resolve(post);
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && this.queue.length > 0) {
      const res = this.waiting.shift()!;
      const item = this.queue.shift()!;
      const body = item.rawBody ?? JSON.stringify(item.event);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': item.requestId!,
        'Lambda-Runtime-Deadline-Ms': String(item.deadlineMs ?? Date.now() + 3000),
        'Lambda-Runtime-Invoked-Function-Arn': item.invokedFunctionArn ?? 'arn:aws:lambda:us-east-1:000000000000:function:test',
      };
      if (item.traceId !== undefined) headers['Lambda-Runtime-Trace-Id'] = item.traceId;
      if (item.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = item.clientContext;
      if (item.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = item.cognitoIdentity;
      res.writeHead(200, headers).end(body);
    }
  }
}
