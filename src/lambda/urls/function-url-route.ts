/**
 * Serves function URLs on Nimbus's own port, as an unsigned raw route of the edge (AWS_IAM URLs
 * check their SigV4 signature here, with the edge's verifier). Two ways in:
 *
 *   Host: URLID.lambda-url.REGION.localhost[:PORT]   /any/path?query   (`*.localhost` is loopback)
 *   Host: anything                                   /_nimbus/url/URLID/any/path?query
 *
 * A request becomes a payload format 2.0 event (function-url-event.ts), runs like an Invoke of
 * the configuration's qualifier (start-invocation.ts: lease, trace, metrics), and its result is mapped to
 * the HTTP response (function-url-response.ts), with CORS from the configuration. RESPONSE_STREAM
 * URLs send a streamed answer on as it comes (function-url-stream.ts).
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import { readBody } from '../../kit/http/body.js';
import type { Authorizer } from '../../kit/authorization.js';
import { rootCaller } from '../../kit/operation-context.js';
import type { RawRoute } from '../../kit/http/raw-route.js';
import { RequestTarget } from '../../kit/http/request-target.js';
import type { RequestVerifier, VerifiedCaller } from '../../kit/http/request-signature.js';
import { AwsError } from '../../shared/errors.js';
import { requestId as newRequestId } from '../../shared/ids.js';
import { functionArn } from '../arn.js';
import type { Scope } from '../../shared/scope.js';
import type { LambdaDeps } from '../deps.js';
import { LIMITS } from '../functions/function-rules.js';
import { applyCors, isPreflight, preflightHeaders } from './function-url-cors.js';
import { buildUrlEvent } from './function-url-event.js';
import { internalServerError, mapUrlResponse, type UrlResponse } from './function-url-response.js';
import { UrlResponseStream } from './function-url-stream.js';
import { functionUrlHost, type FunctionUrls } from './function-urls.js';
import { prepareInvocation, type PreparedInvocation } from '../invoke/start-invocation.js';

/** The path form's prefix, for clients that cannot set a Host header. */
export const URL_PATH_PREFIX = '/_nimbus/url/';

const HOST = /^([a-z0-9]{32})\.lambda-url\.[a-z0-9-]+\.localhost$/;
const URL_ID = /^[a-z0-9]{32}$/;

/** Which URL a request is for, and its path as the function sees it; undefined when not a URL request. */
export function matchFunctionUrl(host: string | undefined, path: string): { urlId: string; rawPath: string } | undefined {
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  const byHost = HOST.exec(name);
  if (byHost) return { urlId: byHost[1]!, rawPath: path };
  if (!path.startsWith(URL_PATH_PREFIX)) return undefined;
  const rest = path.slice(URL_PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const urlId = slash < 0 ? rest : rest.slice(0, slash);
  if (!URL_ID.test(urlId)) return undefined;
  return { urlId, rawPath: slash < 0 ? '/' : rest.slice(slash) };
}

const json = (status: number, message: string, errorType?: string): UrlResponse => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
  body: Buffer.from(JSON.stringify({ Message: message })),
});

const FORBIDDEN = () => json(403, 'Forbidden', 'AccessDeniedException');

export function functionUrlRoute(regions: { at(scope: Scope): LambdaDeps }, urls: FunctionUrls, verifier: RequestVerifier, authorize: Authorizer): RawRoute {
  async function serve(req: IncomingMessage, res: ServerResponse, urlId: string, rawPath: string): Promise<void> {
    const config = urls.find(urlId);
    if (!config) return write(res, FORBIDDEN());
    // The URL belongs to its function's account and region.
    const deps = regions.at(config);
    const method = (req.method ?? 'GET').toUpperCase();
    // Browsers do not sign preflights: Lambda answers them from the configuration, before auth.
    if (config.cors && isPreflight(method, req.headers)) {
      res.writeHead(200, preflightHeaders(config.cors, req.headers));
      res.end();
      return;
    }
    const target = new RequestTarget(req.url ?? '/');
    let body: Buffer;
    try {
      body = await readBody(req, LIMITS.syncPayloadBytes);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      res.setHeader('Connection', 'close');
      return write(res, json(413, `Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`));
    }
    let caller: VerifiedCaller | undefined;
    if (config.authType === 'AWS_IAM') {
      try {
        caller = verifier.verifyRequest(
          { method, path: target.path, query: target.query, headers: req.headers, queryPairs: target.queryPairs(), rawHeaders: req.rawHeaders },
          body,
        );
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        return write(res, FORBIDDEN());
      }
      if (caller.service !== 'lambda') return write(res, FORBIDDEN());
      // The one authorization stage, as for every API call: lambda:InvokeFunctionUrl on the function.
      try {
        await authorize({
          actions: ['lambda:InvokeFunctionUrl'],
          resources: [functionArn(deps.scope, config.functionName, config.qualifier === '$LATEST' ? undefined : config.qualifier)],
          caller: rootCaller(caller.accountId, caller.accessKeyId),
          accountId: deps.scope.accountId,
          region: deps.scope.region,
          via: 'function-url',
        });
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        return write(res, FORBIDDEN());
      }
    }

    const requestId = String(res.getHeader('x-amzn-RequestId') ?? newRequestId());
    // RESPONSE_STREAM: chunks go to the client as the runtime posts them (function-url-stream.ts).
    let trace = '';
    const origin = firstValue(req.headers.origin);
    const stream =
      config.invokeMode === 'RESPONSE_STREAM'
        ? new UrlResponseStream(res, (headers) => {
            if (config.cors) applyCors(config.cors, origin, headers);
            res.setHeader('x-amzn-trace-id', trace);
          })
        : undefined;
    let prepared: PreparedInvocation;
    try {
      prepared = await prepareInvocation(deps, {
        kind: 'function-url',
        functionName: config.functionName,
        ...(config.qualifier !== '$LATEST' ? { qualifier: config.qualifier } : {}),
        requestId,
        ...(typeof req.headers['x-amzn-trace-id'] === 'string' ? { traceHeader: req.headers['x-amzn-trace-id'] } : {}),
        // Ends the trace when the answer is out, whichever way it goes (a stream, an error, a cut connection).
        answered: () => new Promise<number>((resolve) => finished(res, () => resolve(res.statusCode))),
        attributes: { 'http.request.method': method, 'url.path': rawPath },
        ...(stream ? { responseStream: stream } : {}),
      });
    } catch (err) {
      // The function went with its configuration an instant ago.
      if (err instanceof AwsError && err.status === 404) return write(res, FORBIDDEN());
      throw err;
    }
    trace = prepared.traceHeader;
    const sourceIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const event = buildUrlEvent({
      method,
      rawPath,
      rawQueryString: target.query,
      headers: req.headersDistinct,
      body,
      httpVersion: req.httpVersion,
      sourceIp,
      requestId,
      traceId: trace,
      now: deps.clock.now(),
      urlId,
      domainName: functionUrlHost(urlId, deps.scope.region),
      port: String(req.socket.localPort ?? ''),
      accountId: caller ? caller.accountId : 'anonymous',
      ...(caller
        ? {
            iam: {
              accessKey: caller.accessKeyId,
              accountId: caller.accountId,
              // Only the root principal exists so far (the identity issue adds users and roles).
              callerId: caller.accountId,
              userArn: `arn:aws:iam::${caller.accountId}:root`,
              userId: caller.accountId,
            },
          }
        : {}),
    });
    const payload = Buffer.from(JSON.stringify(event));
    let response: UrlResponse;
    try {
      const started = await prepared.start(payload);
      if (!started.ran) throw new Error('a function URL invocation must run');
      const { result } = started;
      if (stream && result.streamed) {
        // A failure after the head went out can only cut the stream short (no terminating chunk).
        if (stream.started && result.functionError) return void res.destroy();
        if (!result.functionError && stream.end()) return;
        response = internalServerError();
      } else {
        response = result.functionError ? internalServerError() : mapUrlResponse(result.payload);
      }
    } catch (err) {
      if (err instanceof AwsError && err.status === 429) response = json(429, 'Rate Exceeded.', 'TooManyRequestsException');
      else if (err instanceof AwsError && err.status === 413) {
        response = json(413, `Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`);
      } else throw err;
    }
    if (config.cors) applyCors(config.cors, origin, response.headers);
    res.setHeader('x-amzn-trace-id', trace);
    write(res, response);
  }

  return async (req, res, url) => {
    const target = new RequestTarget(req.url ?? '/');
    const match = matchFunctionUrl(req.headers.host ?? url.host, target.path);
    if (!match) return false;
    await serve(req, res, match.urlId, match.rawPath);
    return true;
  };
}

function write(res: ServerResponse, response: UrlResponse): void {
  res.writeHead(response.statusCode, { ...response.headers, 'content-length': String(response.body.length) });
  res.end(response.body);
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
