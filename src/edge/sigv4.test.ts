import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../shared/errors.js';
import { canonicalPath, canonicalQuery, escapeUri, parseQuery } from './sigv4-canonical.js';
import { SigV4Verifier, type SignedRequest } from './sigv4.js';

const NOW = Date.UTC(2026, 0, 1, 0, 30, 0); // 20260101T003000Z
const clock = { now: () => NOW, monotonic: () => 0 };
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const credentials = (id: string) => (id === AKID ? { secretAccessKey: SECRET, accountId: '123456789012' } : undefined);
const verifier = new SigV4Verifier({ credentials, clock });

function signer(secret = SECRET, service = 'lambda') {
  return new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey: secret },
    region: 'us-east-1',
    service,
    sha256: Hash.bind(null, 'sha256'),
  });
}

interface Spec {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

function httpRequest(spec: Spec) {
  return new HttpRequest({
    method: spec.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: spec.path ?? '/',
    query: spec.query ?? {},
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
  });
}

/** What the SDK's node http handler puts on the wire for a query object (sorted, escaped). */
function wireQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${escapeUri(key)}=${escapeUri(String(v))}`);
  }
  return parts.join('&');
}

function toSigned(req: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> }): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  return { method: req.method, path: req.path, query: wireQuery(req.query ?? {}), headers };
}

async function signed(spec: Spec, opts: { at?: number; secret?: string } = {}) {
  const req = await signer(opts.secret).sign(httpRequest(spec), { signingDate: new Date(opts.at ?? NOW) });
  return toSigned(req as any);
}

function caught(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AwsError);
    return err as AwsError;
  }
  throw new Error('expected an error');
}

describe('SigV4 header form', () => {
  it('verifies a request signed by @smithy/signature-v4 and returns the caller', async () => {
    const body = '{"FunctionName":"f"}';
    const req = await signed({ path: '/2015-03-31/functions', body });
    expect(verifier.verifyRequest(req, Buffer.from(body))).toEqual({
      accessKeyId: AKID,
      accountId: '123456789012',
      region: 'us-east-1',
      service: 'lambda',
    });
  });

  it('verifies paths with encoded ARNs and query strings with reserved characters', async () => {
    const path = `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:foo')}/invocations`;
    expect(path).toContain('%3A');
    const req = await signed({ path, query: { Qualifier: '$LATEST', Marker: 'a b/c+d=e&f', tagKeys: ['b', 'a'] }, body: 'x' });
    expect(verifier.verifyRequest(req, Buffer.from('x')).service).toBe('lambda');
  });

  it('accepts UNSIGNED-PAYLOAD and rejects a declared hash that is not the body', async () => {
    const unsigned = await signed({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'abc' });
    expect(verifier.verifyRequest(unsigned, Buffer.from('anything')).accessKeyId).toBe(AKID);
    const req = await signed({ body: 'abc' });
    expect(req.headers['x-amz-content-sha256']).toBeDefined();
    expect(caught(() => verifier.verifyRequest(req, Buffer.from('abd'))).code).toBe('InvalidSignatureException');
  });

  it('rejects a tampered body, header, path, query or method', async () => {
    const body = Buffer.from('{"a":1}');
    const base = await signed({ path: '/p/q', query: { a: '1' }, headers: { 'x-amz-target': 'T.Op' }, body: '{"a":1}' });
    // Without x-amz-content-sha256 the body itself is hashed.
    const noHashHeader = { ...base, headers: { ...base.headers } };
    delete noHashHeader.headers['x-amz-content-sha256'];
    const tampered: Array<[string, SignedRequest, Buffer]> = [
      ['body', base, Buffer.from('{"a":2}')],
      ['header', { ...base, headers: { ...base.headers, 'x-amz-target': 'T.Other' } }, body],
      ['path', { ...base, path: '/p/r' }, body],
      ['query', { ...base, query: 'a=2' }, body],
      ['method', { ...base, method: 'PUT' }, body],
      ['unhashed body', noHashHeader, body],
    ];
    for (const [what, req, payload] of tampered) {
      const err = caught(() => verifier.verifyRequest(req, payload));
      expect(err.code, what).toBe('InvalidSignatureException');
      expect(err.status).toBe(403);
    }
  });

  it('answers a wrong secret with InvalidSignatureException and AWS wording', async () => {
    const req = await signed({ body: '' }, { secret: 'wrong' });
    const err = caught(() => verifier.verifyRequest(req, Buffer.alloc(0)));
    expect(err.code).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
  });

  it('answers an unknown access key with UnrecognizedClientException', async () => {
    const req = await signed({ body: '' });
    const other = new SigV4Verifier({ credentials: () => undefined, clock });
    const err = caught(() => other.verifyRequest(req, Buffer.alloc(0)));
    expect(err.code).toBe('UnrecognizedClientException');
    expect(err.message).toBe('The security token included in the request is invalid.');
    expect(err.status).toBe(403);
  });

  it('rejects signatures outside the 15-minute window with AWS messages', async () => {
    const old = await signed({ body: '' }, { at: NOW - 30 * 60_000 });
    const err = caught(() => verifier.authenticate(old));
    expect(err.code).toBe('InvalidSignatureException');
    expect(err.message).toBe(
      'Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)',
    );
    const future = await signed({ body: '' }, { at: NOW + 16 * 60_000 });
    expect(caught(() => verifier.authenticate(future)).message).toMatch(/^Signature not yet current: 20260101T004600Z/);
    const edge = await signed({ body: '' }, { at: NOW - 14 * 60_000 });
    expect(verifier.verifyRequest(edge, Buffer.alloc(0)).region).toBe('us-east-1');
  });

  it('reports missing and malformed authorization', () => {
    const plain: SignedRequest = { method: 'GET', path: '/', query: '', headers: { host: 'x' } };
    const missing = caught(() => verifier.authenticate(plain));
    expect([missing.code, missing.message, missing.status]).toEqual([
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
      403,
    ]);
    const malformed = caught(() =>
      verifier.authenticate({ ...plain, headers: { ...plain.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' } }),
    );
    expect(malformed.code).toBe('IncompleteSignatureException');
    expect(malformed.message).toContain("Authorization header requires 'Signature' parameter.");
    const bearer = caught(() => verifier.authenticate({ ...plain, headers: { authorization: 'Bearer abc' } }));
    expect(bearer.code).toBe('IncompleteSignatureException');
    const garbage = caught(() =>
      verifier.authenticate({
        ...plain,
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=zz',
          'x-amz-date': 'nonsense',
        },
      }),
    );
    expect(garbage.code).toBe('IncompleteSignatureException');
  });

  it('requires the credential scope date to match X-Amz-Date', async () => {
    const req = await signed({ body: '' });
    const auth = String(req.headers.authorization).replace('/20260101/', '/20251231/');
    const err = caught(() => verifier.authenticate({ ...req, headers: { ...req.headers, authorization: auth } }));
    expect(err.code).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^Date in Credential scope does not match/);
  });
});

describe('SigV4 presigned URLs', () => {
  async function presigned(spec: Spec, expiresIn: number, at = NOW) {
    const req = await signer().presign(httpRequest({ method: 'GET', ...spec }), { expiresIn, signingDate: new Date(at) });
    return toSigned(req as any);
  }

  it('verifies a presigned URL, including an encoded path', async () => {
    const path = `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:foo')}`;
    const req = await presigned({ path, query: { Qualifier: '1' } }, 300);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.query).toContain('X-Amz-Signature=');
    expect(verifier.verifyRequest(req, Buffer.alloc(0)).service).toBe('lambda');
  });

  it('rejects an expired or tampered presigned URL', async () => {
    const expired = await presigned({ path: '/x' }, 60, NOW - 5 * 60_000);
    const err = caught(() => verifier.authenticate(expired));
    expect(err.code).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^Signature expired: 20260101T002500Z is now earlier than 20260101T002900Z/);
    const valid = await presigned({ path: '/x' }, 600, NOW - 5 * 60_000);
    expect(verifier.verifyRequest(valid, Buffer.alloc(0)).accessKeyId).toBe(AKID);
    const tampered = { ...valid, path: '/y' };
    expect(caught(() => verifier.verifyRequest(tampered, Buffer.alloc(0))).code).toBe('InvalidSignatureException');
  });

  it('reports missing presigned parameters as IncompleteSignatureException', () => {
    const err = caught(() =>
      verifier.authenticate({ method: 'GET', path: '/', query: 'X-Amz-Signature=abc', headers: { host: 'h' } }),
    );
    expect(err.code).toBe('IncompleteSignatureException');
    expect(err.message).toContain("must include 'X-Amz-Credential'");
  });
});

describe('SigV4 canonical forms', () => {
  it('double-encodes and normalizes non-S3 paths, leaves S3 paths as sent', () => {
    expect(canonicalPath('/2015-03-31/functions/arn%3Aaws%3Alambda/invocations')).toBe(
      '/2015-03-31/functions/arn%253Aaws%253Alambda/invocations',
    );
    expect(canonicalPath('/a//b/./c/../d/')).toBe('/a/b/d/');
    expect(canonicalPath('')).toBe('/');
    expect(canonicalPath('/bucket/a%20b', false)).toBe('/bucket/a%20b');
  });

  it('sorts and re-encodes the query, leaving out the signature when presigned', () => {
    const pairs = parseQuery('b=2&a=%20x&a=1&versions&X-Amz-Signature=s');
    expect(canonicalQuery(pairs, true)).toBe('a=%20x&a=1&b=2&versions=');
    expect(canonicalQuery(pairs, false)).toContain('X-Amz-Signature=s');
    // Malformed escapes survive (and then fail the signature) rather than throw.
    expect(parseQuery('a=%zz')).toEqual([['a', '%zz']]);
  });
});
