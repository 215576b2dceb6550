/**
 * Every Runtime API route on one screen, like the RIE's `rapi/router.go`. A transport matches a
 * request here first, so it knows how much body the route accepts before reading any of it.
 */
import { MAX_RESPONSE_BYTES } from '../limits.js';
import { initError } from './init-error.js';
import { invocationError } from './invocation-error.js';
import { invocationNext } from './invocation-next.js';
import { invocationResponse } from './invocation-response.js';
import { methodNotAllowed, notFound } from './replies.js';
import type { RapiReply, RapiRequest, Respond, RuntimeApiBackend } from './types.js';

/** Handles one request; `requestId` is the `{id}` path segment ('' for routes without one). */
export type Handler = (req: RapiRequest, backend: RuntimeApiBackend, respond: Respond, requestId: string) => void;

/** One Runtime API route. */
export interface Route {
  method: 'GET' | 'POST';
  /** The path as documented; `{id}` stands for the request id segment. */
  path: string;
  /** Bytes of body the route reads; more is discarded and flagged as too large. */
  maxBodyBytes: number;
  handle: Handler;
}

const V = '/2018-06-01/runtime';

/** The Runtime API, version 2018-06-01. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: `${V}/invocation/next`, maxBodyBytes: 0, handle: invocationNext },
  { method: 'POST', path: `${V}/invocation/{id}/response`, maxBodyBytes: MAX_RESPONSE_BYTES, handle: invocationResponse },
  { method: 'POST', path: `${V}/invocation/{id}/error`, maxBodyBytes: MAX_RESPONSE_BYTES, handle: invocationError },
  { method: 'POST', path: `${V}/init/error`, maxBodyBytes: MAX_RESPONSE_BYTES, handle: initError },
];

const [NEXT, RESPONSE, ERROR, INIT_ERROR] = ROUTES as [Route, Route, Route, Route];

/** A matched route and its `{id}`. */
export interface RouteMatch {
  route: Route;
  requestId: string;
}

/** Finds the route for a request line, or the 404/405 reply to send instead. */
export function matchRoute(method: string | undefined, url: string | undefined): RouteMatch | RapiReply {
  let path = url ?? '';
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  let route: Route | undefined;
  let requestId = '';
  if (path === NEXT.path) route = NEXT;
  else if (path === INIT_ERROR.path) route = INIT_ERROR;
  else if (path.startsWith(`${V}/invocation/`)) {
    const rest = path.slice(V.length + 12);
    const slash = rest.indexOf('/');
    if (slash > 0 && rest.indexOf('/', slash + 1) < 0) {
      const tail = rest.slice(slash + 1);
      route = tail === 'response' ? RESPONSE : tail === 'error' ? ERROR : undefined;
      requestId = rest.slice(0, slash);
    }
  }
  if (!route) return notFound();
  if (route.method !== method) return methodNotAllowed();
  return { route, requestId };
}

/** Routes and handles a request whose body is already read (in-memory use and tests). */
export function dispatch(
  method: string,
  url: string,
  req: RapiRequest,
  backend: RuntimeApiBackend,
  respond: Respond,
): void {
  const m = matchRoute(method, url);
  if ('status' in m) return respond(m);
  m.route.handle(req, backend, respond, m.requestId);
}
