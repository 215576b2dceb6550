/**
 * Signs a written request with SigV4 (@smithy/signature-v4, the SDKs' signer, with the test
 * server's credentials) and sends it over a keep-alive connection, returning the raw answer.
 * The query string sent is the one signed: the same pairs, encoded as SigV4 encodes them.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import http from 'node:http';
import { CREDENTIALS, REGION } from '../../support/server/nimbus.js';
import type { WireRequest } from './wire.js';
import { encodeRfc3986 } from './wire-values.js';

/** A response as received. */
export interface WireResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const signers = new Map<string, SignatureV4>();

function signerFor(service: string): SignatureV4 {
  let signer = signers.get(service);
  if (!signer) {
    signer = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service, sha256: Hash.bind(null, 'sha256') });
    signers.set(service, signer);
  }
  return signer;
}

/** Signs `req` for `service` and sends it to `baseUrl`. */
export async function send(baseUrl: string, service: string, req: WireRequest): Promise<WireResponse> {
  const url = new URL(baseUrl);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of req.query) {
    const seen = query[k];
    query[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  const signed = await signerFor(service).sign(
    new HttpRequest({ method: req.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: req.path, query, headers: { host: url.host, ...req.headers }, body: req.body }),
  );
  const search = req.query.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`).join('&');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, method: req.method, path: search ? `${req.path}?${search}` : req.path, headers: { ...signed.headers, 'content-length': String(req.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }));
        res.on('error', reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error(`no answer in 30 s to ${req.method} ${req.path}`)));
    request.on('error', reject);
    request.end(req.body);
  });
}

/** Closes the kept-alive connections. */
export const closeConnections = (): void => agent.destroy();
