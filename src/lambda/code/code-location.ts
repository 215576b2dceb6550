/**
 * GetFunction's Code.Location: a URL that serves the deployment package, valid for 10 minutes
 * like Lambda's presigned S3 URL. It is an unsigned route (the URL itself carries an HMAC),
 * so curl and browsers can fetch it as they fetch Lambda's.
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

  /** A time-limited URL for the zip with this digest, on the base URL the caller used. */
  url(baseUrl: string, sha256Hex: string): string {
    const expires = Math.floor((this.clock.now() + VALIDITY_MS) / 1000);
    return `${baseUrl}${PREFIX}${sha256Hex}.zip?Expires=${expires}&Signature=${this.sign(sha256Hex, expires)}`;
  }

  /** The raw route for the edge: serves the zip when the URL's signature holds. */
  readonly route = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (!url.pathname.startsWith(PREFIX)) return false;
    const m = /^([0-9a-f]{64})\.zip$/.exec(url.pathname.slice(PREFIX.length));
    const expires = Number(url.searchParams.get('Expires'));
    const signature = url.searchParams.get('Signature') ?? '';
    const valid =
      m !== null &&
      req.method === 'GET' &&
      Number.isFinite(expires) &&
      expires * 1000 > this.clock.now() &&
      safeEqual(signature, this.sign(m[1]!, expires));
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

  private sign(sha256Hex: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${sha256Hex}:${expires}`).digest('hex');
  }
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
