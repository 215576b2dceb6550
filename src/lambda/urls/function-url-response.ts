/**
 * How a function's result becomes the URL's HTTP response, as Lambda maps payload format 2.0:
 * an object with `statusCode` is a response description (headers, cookies → Set-Cookie, body,
 * isBase64Encoded); any other JSON value is the body of a 200 `application/json`. Pure.
 * `multiValueHeaders` belongs to format 1.0 and is ignored, as by URLs.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-response-payload
 */

export interface UrlResponse {
  statusCode: number;
  /** Lowercased names; `set-cookie` is a list. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * Status and headers of a response description (a buffered result or a streamed prelude):
 * header names lowercased, only scalar values kept, `cookies` as Set-Cookie, `defaultContentType`
 * when none is given; undefined when the status is not an HTTP status.
 */
export function responseHead(
  r: Record<string, unknown>,
  defaultContentType: string,
): { statusCode: number; headers: Record<string, string | string[]> } | undefined {
  const status = typeof r.statusCode === 'string' ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string | string[]> = {};
  if (r.headers && typeof r.headers === 'object') {
    for (const [name, v] of Object.entries(r.headers as Record<string, unknown>)) {
      if (v === null || v === undefined || typeof v === 'object') continue;
      headers[name.toLowerCase()] = String(v);
    }
  }
  if (headers['content-type'] === undefined) headers['content-type'] = defaultContentType;
  if (Array.isArray(r.cookies) && r.cookies.length > 0) headers['set-cookie'] = r.cookies.map(String);
  return { statusCode: status, headers };
}

/** What a URL answers when the function failed or returned something it cannot map. */
export function internalServerError(): UrlResponse {
  return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: Buffer.from('Internal Server Error') };
}

/** Maps a successful result's payload (the function's JSON) to the HTTP response. */
export function mapUrlResponse(payload: Buffer): UrlResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    // Not JSON (a runtime that posts raw bytes): passed through as the body.
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: payload };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('statusCode' in value)) {
    // A bare string is sent as its text, anything else as its JSON.
    const body = typeof value === 'string' ? value : payload.toString('utf8');
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const r = value as Record<string, unknown>;
  const head = responseHead(r, 'application/json');
  if (!head) return internalServerError();
  let body: Buffer;
  if (r.body === undefined || r.body === null) body = Buffer.alloc(0);
  else if (typeof r.body === 'string') body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  else body = Buffer.from(JSON.stringify(r.body));
  return { ...head, body };
}
