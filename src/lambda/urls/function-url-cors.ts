/**
 * CORS for function URLs from the configuration's `Cors`: preflight answers (Lambda answers
 * them itself, without invoking the function) and the headers added to every response, which
 * replace any CORS headers the function returned. Pure.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
 */
import type { FunctionUrlCors } from '../store/function-url-store.js';

type Headers = Record<string, string>;

const CORS_HEADER = /^access-control-/;

/** Whether an OPTIONS request is a CORS preflight. */
export function isPreflight(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

function allowedOrigin(cors: FunctionUrlCors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** Headers of a preflight's 200 answer; none when the origin or method is not allowed. */
export function preflightHeaders(cors: FunctionUrlCors, headers: Record<string, string | string[] | undefined>): Headers {
  const origin = allowedOrigin(cors, first(headers.origin));
  const method = first(headers['access-control-request-method'])?.toUpperCase();
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  if (!origin || !method || !(methods.includes('*') || methods.includes(method))) return {};
  const out: Headers = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': methods.includes('*') ? method : methods.join(','),
  };
  const requested = first(headers['access-control-request-headers']);
  const allowHeaders = (cors.AllowHeaders ?? []).map((h) => h.toLowerCase());
  if (requested) {
    const asked = requested.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
    const granted = allowHeaders.includes('*') ? asked : asked.filter((h) => allowHeaders.includes(h));
    if (granted.length > 0) out['access-control-allow-headers'] = granted.join(',');
  }
  if (cors.ExposeHeaders?.length) out['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.MaxAge !== undefined) out['access-control-max-age'] = String(cors.MaxAge);
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (origin !== '*') out.vary = 'Origin';
  return out;
}

/** Replaces the function's CORS headers with the configuration's, for the request's origin. */
export function applyCors(cors: FunctionUrlCors, origin: string | undefined, response: Record<string, string | string[]>): void {
  for (const name of Object.keys(response)) if (CORS_HEADER.test(name)) delete response[name];
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return;
  response['access-control-allow-origin'] = allowed;
  if (cors.ExposeHeaders?.length) response['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) response['access-control-allow-credentials'] = 'true';
  if (allowed !== '*') response.vary = 'Origin';
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
