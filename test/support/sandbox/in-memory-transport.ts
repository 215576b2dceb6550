/**
 * A RuntimeApiTransport without sockets: the test plays the runtime by calling the router
 * directly, as the environment's own runtime would through HTTP.
 */
import { dispatch } from '../../../src/sandbox/runtime-api/router.js';
import type {
  RapiReply,
  RuntimeApiBackend,
  RuntimeApiEndpoint,
  RuntimeApiTransport,
} from '../../../src/sandbox/runtime-api/types.js';

const V = '/2018-06-01/runtime';

/** One environment's Runtime API, driven by the test. */
export class FakeRuntimeApi implements RuntimeApiEndpoint {
  closed = false;
  constructor(
    readonly address: string,
    private readonly backend: RuntimeApiBackend,
  ) {}

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** GET /next; resolves when the environment answers (long-poll). */
  next(): Promise<RapiReply> {
    return new Promise((resolve) => this.call('GET', `${V}/invocation/next`, Buffer.alloc(0), {}, resolve));
  }

  /** POST /response (`tooLarge` simulates a body over the route's cap). */
  postResponse(requestId: string, body: string | Buffer, opts: { tooLarge?: boolean } = {}): RapiReply {
    return this.sync('POST', `${V}/invocation/${requestId}/response`, Buffer.from(body), {}, opts.tooLarge);
  }

  /** POST /error with an optional Lambda-Runtime-Function-Error-Type. */
  postError(requestId: string, body: string | Buffer, errorType?: string): RapiReply {
    const headers: Record<string, string> = errorType ? { 'lambda-runtime-function-error-type': errorType } : {};
    return this.sync('POST', `${V}/invocation/${requestId}/error`, Buffer.from(body), headers);
  }

  /** POST /init/error. */
  postInitError(body: string | Buffer, errorType?: string): RapiReply {
    const headers: Record<string, string> = errorType ? { 'lambda-runtime-function-error-type': errorType } : {};
    return this.sync('POST', `${V}/init/error`, Buffer.from(body), headers);
  }

  private sync(method: string, url: string, body: Buffer, headers: Record<string, string>, tooLarge = false): RapiReply {
    let reply: RapiReply | undefined;
    this.call(method, url, body, headers, (r) => (reply = r), tooLarge);
    if (!reply) throw new Error(`${method} ${url} was not answered synchronously`);
    return reply;
  }

  private call(
    method: string,
    url: string,
    body: Buffer,
    headers: Record<string, string>,
    respond: (r: RapiReply) => void,
    tooLarge = false,
  ): void {
    if (this.closed) throw new Error('endpoint closed');
    dispatch(
      method,
      url,
      { header: (n) => headers[n], body: tooLarge ? Buffer.alloc(0) : body, bodyTooLarge: tooLarge },
      this.backend,
      respond,
    );
  }
}

export class InMemoryTransport implements RuntimeApiTransport {
  private readonly apis = new Map<string, FakeRuntimeApi>();
  private seq = 0;
  failWith: Error | undefined;

  open(backend: RuntimeApiBackend): Promise<RuntimeApiEndpoint> {
    if (this.failWith) return Promise.reject(this.failWith);
    const api = new FakeRuntimeApi(`memory:${++this.seq}`, backend);
    this.apis.set(api.address, api);
    return Promise.resolve(api);
  }

  /** The endpoint a runtime was given (its AWS_LAMBDA_RUNTIME_API). */
  api(address: string): FakeRuntimeApi {
    const api = this.apis.get(address);
    if (!api) throw new Error(`no endpoint ${address}`);
    return api;
  }
}

/** Parses a JSON reply body. */
export function json(reply: RapiReply): unknown {
  return JSON.parse(reply.body.toString('utf8'));
}
