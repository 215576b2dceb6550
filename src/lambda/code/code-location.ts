/**
 * GetFunction's Code.Location and GetLayerVersion's Content.Location: a URL that serves the
 * package, valid for 10 minutes like Lambda's presigned S3 URL, and named as Lambda names its
 * snapshots: the account, then the function's (or layer's) name and its hash
 * (`/_nimbus/code/123456789012/my-function-<sha256>.zip`). It is an unsigned route (the URL
 * itself carries an HMAC over all of that), so curl and browsers can fetch it as they fetch Lambda's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../shared/clock.js';

const PREFIX = '/_nimbus/code/';
const VALIDITY_MS = 10 * 60 * 1000;

export class CodeLocations {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
    private readonly zipPath: (sha256Hex: string) => string,
  ) {}

  /** A time-limited URL for the zip with this digest of `name` in `accountId`, on the base URL the caller used. */
  url(baseUrl: string, accountId: string, name: string, sha256Hex: string): string {
    const expires = Math.floor((this.clock.now() + VALIDITY_MS) / 1000);
    const path = `${accountId}/${name}-${sha256Hex}.zip`;
    return `${baseUrl}${PREFIX}${path}?Expires=${expires}&Signature=${this.sign(path, expires)}`;
  }

  /** The raw route for the edge: serves the zip when the URL's signature holds. */
  readonly route = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (!url.pathname.startsWith(PREFIX)) return false;
    const signed = url.pathname.slice(PREFIX.length);
    const m = /^\d{12}\/[A-Za-z0-9_-]{1,140}-([0-9a-f]{64})\.zip$/.exec(signed);
    const expires = Number(url.searchParams.get('Expires'));
    const signature = url.searchParams.get('Signature') ?? '';
    const valid =
      m !== null &&
      req.method === 'GET' &&
      Number.isFinite(expires) &&
      expires * 1000 > this.clock.now() &&
      safeEqual(signature, this.sign(signed, expires));
    const path = m ? this.zipPath(m[1]!) : '';
    if (!valid || !existsSync(path)) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired or is not valid</Message></Error>');
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': statSync(path).size });
    createReadStream(path).pipe(res);
    return true;
  };

  private sign(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}:${expires}`).digest('hex');
  }
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
