/**
 * The edge: everything between the socket and a service's operation handler.
 *
 *   raw routes (unsigned: health, code downloads, function URLs)
 *   → SigV4 headers (no body yet: missing auth, unknown key, skew)  → service by credential scope
 *   → body (size-limited)  → signature  → protocol: route, read + validate input
 *   → authorize + handler(input, ctx) (kit/operation-runner.ts, shared with in-process calls)
 *   → protocol: write output (an event stream as its events come)
 *
 * The region of a call is its credential scope's; the account is its credentials'.
 * Anything thrown on the way is turned into an AwsError once (`toAwsError`) and written in the
 * service's protocol shape; every response carries `x-amzn-RequestId`. A bad request never takes
 * the process down: every await is inside one try, and the handler never rejects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../shared/clock.js';
import { AwsError, toAwsError } from '../shared/errors.js';
import { requestId as newRequestId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { bodyStream } from '../kit/http/body-stream.js';
import { ClientAbortedError, readBody } from '../kit/http/body.js';
import { EdgeErrors } from './edge-errors.js';
import { createProtocol } from './protocols/index.js';
import { writeJsonError } from './protocols/json/json-wire.js';
import type { Protocol, ProtocolRequest } from './protocols/protocol.js';
import { RequestTarget } from '../kit/http/request-target.js';
import type { RawRoute } from '../kit/http/raw-route.js';
import { allowAll, type Authorizer } from '../kit/authorization.js';
import { rootCaller, type OperationContext } from '../kit/operation-context.js';
import { handlerOf, notImplemented, runOperation } from '../kit/operation-runner.js';
import type { ServiceDefinition } from '../kit/service-definition.js';
import { SigV4Verifier, type CredentialResolver, type VerifiedCaller } from './sigv4.js';

export type { RawRoute };

/** A node:http request listener. */
export type EdgeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What createEdge needs: the services, how to find credentials, and where it runs. */
export interface EdgeOptions {
  services: ServiceDefinition[];
  /** Resolves the access key of a signed request. */
  credentials: CredentialResolver;
  /** Decides whether a call may proceed (kit/authorization.ts); default: everything may. */
  authorize?: Authorizer;
  logger: Logger;
  /** Largest request body accepted; default 80 MB (a 50 MB zip, base64-encoded in JSON). */
  maxBodyBytes?: number;
  /** Unsigned routes, tried in order before any authentication. */
  rawRoutes?: RawRoute[];
  clock?: Clock;
}

/** Default body limit: a 50 MB zip grows by 4/3 in base64, plus the JSON around it. */
export const DEFAULT_MAX_BODY_BYTES = 80 * 1024 * 1024;

interface MountedService {
  definition: ServiceDefinition;
  protocol: Protocol;
}

/** Builds the request listener; all models and protocols are compiled here, once. */
export function createEdge(options: EdgeOptions): EdgeHandler {
  const { logger } = options;
  const authorize = options.authorize ?? allowAll;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rawRoutes = options.rawRoutes ?? [];
  const verifier = new SigV4Verifier({ credentials: options.credentials, clock: options.clock });
  // Services by signing name; a few share one (DynamoDB Streams signs as `dynamodb`).
  const services = new Map<string, MountedService[]>();
  for (const definition of options.services) {
    const protocol = createProtocol(definition.model, {
      serializationErrorCode: definition.serializationErrorCode ?? 'SerializationException',
      payloadContentType: definition.payloadContentType ?? 'application/octet-stream',
      handlerEnums: definition.handlerEnums,
    });
    const sharing = services.get(definition.signingName) ?? [];
    const prefix = definition.model.metadata.endpointPrefix;
    if (sharing.some((s) => s.definition.model.metadata.endpointPrefix === prefix)) throw new Error(`two services are '${prefix}'`);
    for (const op of Object.keys(definition.bodies ?? {})) {
      if (!Object.hasOwn(definition.model.operations, op)) throw new Error(`${prefix}: a body policy for ${op}, which the model does not have`);
    }
    services.set(definition.signingName, [...sharing, { definition, protocol }]);
  }
  const serviceNames = [...services.keys()];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader('x-amzn-RequestId', requestId);
    let service: MountedService | undefined;
    try {
      if (rawRoutes.length > 0) {
        const url = requestUrl(req);
        for (const route of rawRoutes) if (await route(req, res, url)) return;
      }
      const method = req.method ?? 'GET';
      const target = new RequestTarget(req.url ?? '/');
      const pending = verifier.authenticate({
        method,
        path: target.path,
        query: target.query,
        headers: req.headers,
        queryPairs: target.queryPairs(),
        rawHeaders: req.rawHeaders,
      });
      const candidates = services.get(pending.caller.service);
      if (!candidates) throw EdgeErrors.unknownService(pending.caller.service, serviceNames);
      service = pick(candidates, req.headers);
      const head = { method, target, headers: req.headers };
      // The operation's own body policy applies before any of the body is read, where the head names it.
      const bodies = service.definition.bodies;
      const early = bodies ? service.protocol.routeHead(head) : undefined;
      const policy = early && Object.hasOwn(bodies!, early.name) ? bodies![early.name] : undefined;
      const limit = policy?.maxBytes ?? maxBody;
      let caller: VerifiedCaller;
      let request: ProtocolRequest;
      try {
        if (policy?.stream) {
          const streamed = verifier.verifyStreamed(pending);
          caller = streamed.caller;
          request = { ...head, body: EMPTY, stream: bodyStream(req, limit, streamed.finish) };
        } else {
          const body = await readBody(req, limit, policy?.drainBytes ?? 0);
          caller = verifier.verify(pending, body);
          request = { ...head, body };
        }
      } catch (err) {
        throw policy?.tooLarge && err instanceof AwsError && err.status === 413 ? policy.tooLarge() : err;
      }
      if (!VALID_REGION.test(caller.region)) throw EdgeErrors.invalidSignature(`Credential should be scoped to a valid region, not '${caller.region}'. `);

      const routed = early ?? service.protocol.route(request);
      if (!handlerOf(service.definition, routed.name)) throw notImplemented(service.definition, routed.name);
      const input = service.protocol.readInput(routed, request);
      const ctx = contextOf(req, res, requestId, caller);
      const output = await runOperation(service.definition, routed.name, input, ctx, authorize);
      for (const [name, value] of Object.entries(ctx.responseHeaders)) res.setHeader(name, value);
      await service.protocol.writeOutput(res, routed, output);
    } catch (err) {
      fail(req, res, err, service, requestId);
    }
  }

  function fail(
    req: IncomingMessage,
    res: ServerResponse,
    err: unknown,
    service: MountedService | undefined,
    requestId: string,
  ): void {
    if (err instanceof ClientAbortedError) {
      res.destroy();
      return;
    }
    const error = toAwsError(err);
    if (!(err instanceof AwsError)) {
      logger.error('request failed', {
        requestId,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    } else if (error.status >= 500) {
      logger.warn('request failed', { requestId, code: error.code, message: error.message });
    }
    // Past the headers (a raw response failing midway) the only honest answer is a cut connection.
    if (res.headersSent || res.writableEnded) {
      res.destroy();
      return;
    }
    // Node would read and discard an unread body to keep the connection; not worth it for a big one.
    if (!req.readableEnded && (error.status === 413 || unreadBodyIsLarge(req))) res.setHeader('Connection', 'close');
    try {
      if (service) service.protocol.writeError(res, error, { method: req.method ?? 'GET', target: new RequestTarget(req.url ?? '/'), headers: req.headers });
      else writeJsonError(res, error, 'application/json', 'json');
    } catch (writeErr) {
      logger.error('writing an error response failed', { requestId, error: String(writeErr) });
      res.destroy();
    }
  }

  return (req, res) => {
    // Errors of a client going away must not become unhandled 'error' events.
    req.on('error', noop);
    handle(req, res).catch((err) => {
      logger.error('edge failure', { error: err instanceof Error ? err.stack : String(err) });
      res.destroy();
    });
  };
}

function noop(): void {}

const EMPTY = Buffer.alloc(0);

/**
 * Which of the services sharing a signing name a request is for: the one whose endpoint prefix
 * its Host starts with (`streams.dynamodb.us-east-1.amazonaws.com`), else the one whose JSON
 * target prefix its X-Amz-Target names, else the first.
 */
function pick(candidates: MountedService[], headers: IncomingMessage['headers']): MountedService {
  if (candidates.length === 1) return candidates[0]!;
  const host = (headers.host ?? '').toLowerCase();
  const byHost = candidates.find((c) => host.startsWith(`${c.definition.model.metadata.endpointPrefix}.`));
  if (byHost) return byHost;
  const target = headers['x-amz-target'];
  const byTarget =
    typeof target === 'string' ? candidates.find((c) => c.definition.model.metadata.targetPrefix && target.startsWith(`${c.definition.model.metadata.targetPrefix}.`)) : undefined;
  return byTarget ?? candidates[0]!;
}

/** AWS's region names (`us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`); anything else is refused, as AWS refuses it. */
const VALID_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The handler's view of an HTTP call: its scope, caller and a few typed facts, no raw objects. */
function contextOf(req: IncomingMessage, res: ServerResponse, requestId: string, caller: VerifiedCaller): OperationContext {
  // The signal and the `responded` promise are made only for a handler that asks for them: most
  // never do, and making them (a listener, a promise, an AbortController) for every request was a
  // measurable share of an Invoke's CPU. `res.closed` tells one asked for late what it missed.
  let gone: AbortController | undefined;
  let responded: Promise<void> | undefined;
  const cut = () => !res.writableFinished;
  const trace = req.headers['x-amzn-trace-id'];
  return {
    requestId,
    region: caller.region,
    accountId: caller.accountId,
    caller: rootCaller(caller.accountId, caller.accessKeyId),
    via: 'http',
    baseUrl: `http://${req.headers.host ?? 'localhost'}`,
    ...(typeof trace === 'string' ? { traceHeader: trace } : {}),
    responseHeaders: {},
    get signal() {
      if (!gone) {
        const controller = (gone = new AbortController());
        if (res.closed) {
          if (cut()) controller.abort();
        } else {
          res.once('close', () => cut() && controller.abort());
        }
      }
      return gone.signal;
    },
    get responded() {
      responded ??= res.closed ? Promise.resolve() : new Promise<void>((resolve) => res.once('close', () => resolve()));
      return responded;
    },
  };
}

function unreadBodyIsLarge(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 64 * 1024;
}

/** The URL raw routes get; a garbage Host header falls back to localhost rather than throwing. */
function requestUrl(req: IncomingMessage): URL {
  const path = req.url ?? '/';
  try {
    return new URL(path, `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    try {
      return new URL(path, 'http://localhost');
    } catch {
      return new URL('http://localhost/');
    }
  }
}
