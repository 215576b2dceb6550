/**
 * The pure parts of Signature Version 4: canonical request, string to sign, signing key.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * The verifier recomputes what the client computed from the bytes it sent, so the raw path and
 * query (still percent-encoded) are the inputs. Every client we care about (SDK v3 via
 * @smithy/signature-v4, botocore, presigners) normalizes and re-encodes the same way; the tests
 * check that against @smithy/signature-v4 and the aws CLI.
 */
import { decodeComponent, parseQuery } from '../kit/http/request-target.js';

export { decodeComponent, parseQuery };
import { createHash, createHmac } from 'node:crypto';

/** The only algorithm accepted (SigV4a's ECDSA variant is not). */
export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** The payload hash a client sends when it did not hash the body. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const NEEDS_ESCAPE = /[^A-Za-z0-9\-._~]/;
const EXTRA = /[!'()*]/g;
const hexOf = (c: string) => '%' + c.charCodeAt(0).toString(16).toUpperCase();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, `%XX` upper-case. */
export function escapeUri(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return encodeURIComponent(value).replace(EXTRA, hexOf);
}


const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * The canonical URI of a raw request path. Non-S3 services remove empty, `.` and `..` segments and
 * encode the already-encoded path once more (`%3A` → `%253A`); S3 uses the path as sent.
 */
export function canonicalPath(rawPath: string, doubleEncode = true): string {
  if (!doubleEncode) return rawPath === '' ? '/' : rawPath;
  if (PLAIN_PATH.test(rawPath) && !rawPath.includes('//') && !rawPath.includes('/.')) {
    return rawPath === '' ? '/' : rawPath;
  }
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return '/' + segments.map(escapeUri).join('/') + trailing;
}


/** The canonical query string: pairs re-encoded, sorted by key then value, `X-Amz-Signature` left out when asked. */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>, omitSignature: boolean): string {
  if (pairs.length === 0) return '';
  const encoded: Array<[string, string]> = [];
  for (const [k, v] of pairs) {
    if (omitSignature && k === 'X-Amz-Signature') continue;
    encoded.push([escapeUri(k), escapeUri(v)]);
  }
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < encoded.length; i++) out += (i ? '&' : '') + encoded[i]![0] + '=' + encoded[i]![1];
  return out;
}

const SPACES = /\s+/g;

/** A header value as it enters the canonical request: trimmed, inner whitespace runs collapsed. */
export function canonicalHeaderValue(value: string): string {
  return value.trim().replace(SPACES, ' ');
}

/** A header's canonical value; repeated headers are joined with commas as SigV4 specifies. */
export function canonicalHeader(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return canonicalHeaderValue(value);
  return value.map(canonicalHeaderValue).join(',');
}

/** The canonical request text, from its already-canonical parts. */
export function canonicalRequest(
  method: string,
  path: string,
  query: string,
  headerLines: string,
  signedHeaders: string,
  payloadHash: string,
): string {
  return `${method}\n${path}\n${query}\n${headerLines}\n\n${signedHeaders}\n${payloadHash}`;
}

/** Lower-case hex SHA-256. */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/** kSigning = HMAC chain over date, region, service, `aws4_request`. */
export function deriveSigningKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secret).update(shortDate).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** The hex signature of a string to sign. */
export const signatureOf = (signingKey: Buffer, toSign: string): string =>
  createHmac('sha256', signingKey).update(toSign).digest('hex');

/** `YYYYMMDDTHHMMSSZ` for a time in milliseconds. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch of a `YYYYMMDDTHHMMSSZ` date, or NaN. */
export function parseAmzDate(value: string): number {
  const m = AMZ_DATE.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}
