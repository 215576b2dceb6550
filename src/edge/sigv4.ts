/**
 * SigV4 verification, header form (`Authorization: AWS4-HMAC-SHA256 ...`) and presigned
 * query-string form (`X-Amz-Signature=...`). Split in two steps so the edge can reject a request
 * on its headers alone (no auth, unknown key, skewed clock) before reading a large body:
 * `authenticate()` needs no body, `verify()` finishes with it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-authentication-methods.html
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { systemClock } from '../shared/clock.js';
import { EdgeErrors } from './edge-errors.js';
import { headerFields, presignedFields, type SignatureFields } from './sigv4-fields.js';
import {
  UNSIGNED_PAYLOAD,
  canonicalHeader,
  canonicalHeaderValue,
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  deriveSigningKey,
  formatAmzDate,
  parseAmzDate,
  parseQuery,
  sha256Hex,
  signatureOf,
  stringToSign,
} from './sigv4-canonical.js';

import type { RequestVerifier, SignedRequest, VerifiedCaller } from '../kit/http/request-signature.js';

export type { SignedRequest, VerifiedCaller };

/** What the credential resolver knows about an access key. */
export interface CallerCredentials {
  secretAccessKey: string;
  accountId: string;
}

/** Looks up an access key id; undefined when unknown. */
export type CredentialResolver = (accessKeyId: string) => CallerCredentials | undefined;

/** A request whose signature fields checked out; `verify()` completes it with the body. */
export interface PendingSignature {
  readonly caller: VerifiedCaller;
  readonly request: SignedRequest;
  readonly presigned: boolean;
  readonly amzDate: string;
  readonly scope: string;
  readonly signedHeaders: string[];
  readonly signature: string;
  readonly secretAccessKey: string;
}

/** The verifier's collaborators and limits. */
export interface SigV4VerifierOptions {
  credentials: CredentialResolver;
  clock?: Clock;
  /** Allowed clock difference for the header form; AWS allows 15 minutes. */
  maxSkewMs?: number;
  /** Services whose canonical URI is the path as sent, not normalized and re-encoded. */
  singleEncodedServices?: ReadonlySet<string>;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const KEY_CACHE_LIMIT = 1024;
const SIGNATURE_HEX = /^[0-9a-f]{64}$/;

/** Verifies SigV4-signed requests against a credential resolver. */
export class SigV4Verifier implements RequestVerifier {
  private readonly clock: Clock;
  private readonly maxSkewMs: number;
  private readonly singleEncoded: ReadonlySet<string>;
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly options: SigV4VerifierOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxSkewMs = options.maxSkewMs ?? FIFTEEN_MINUTES;
    this.singleEncoded = options.singleEncodedServices ?? new Set(['s3']);
  }

  /** Both steps at once, for callers that already hold the body. */
  verifyRequest(request: SignedRequest, body: Uint8Array): VerifiedCaller {
    return this.verify(this.authenticate(request), body);
  }

  /**
   * Parses the signature fields, resolves the key and checks the clock. Throws the AWS error
   * (MissingAuthenticationToken, IncompleteSignature, UnrecognizedClient, InvalidSignature).
   */
  authenticate(request: SignedRequest): PendingSignature {
    const auth = request.headers.authorization;
    let fields: SignatureFields;
    if (typeof auth === 'string' && auth !== '') fields = headerFields(auth, request.headers);
    else if (request.query.includes('X-Amz-Signature=') || request.query.includes('X-Amz-Credential=')) {
      fields = presignedFields(request.queryPairs ?? parseQuery(request.query));
    } else throw EdgeErrors.missingAuthentication();
    const pending = this.resolve(request, fields);
    this.checkClock(fields.amzDate, fields.expiresSeconds);
    return pending;
  }

  /** Checks the signature over the request and its body; returns the caller or throws InvalidSignatureException. */
  verify(pending: PendingSignature, body: Uint8Array): VerifiedCaller {
    return this.verifyHash(pending, () => sha256Hex(body));
  }

  /**
   * For a body that is streamed, not held: the request must say what it signed in
   * x-amz-content-sha256 (a hash, UNSIGNED-PAYLOAD or STREAMING-*), so the signature is checked
   * now, before any of the body is read; the returned `finish` checks a declared hash against
   * the body's at its end (XAmzContentSHA256Mismatch).
   */
  verifyStreamed(pending: PendingSignature): { caller: VerifiedCaller; finish(bodyHashHex: string): void } {
    const declared = canonicalHeader(pending.request.headers['x-amz-content-sha256']);
    if (declared === '') throw EdgeErrors.missingContentSha256();
    const caller = this.verifyHash(pending, () => declared);
    const literal = declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-');
    return {
      caller,
      finish: (hash) => {
        if (!literal && hash !== declared) throw EdgeErrors.contentHashMismatch(declared, hash);
      },
    };
  }

  private verifyHash(pending: PendingSignature, bodyHashOf: () => string): VerifiedCaller {
    const { request, caller } = pending;
    const key = this.signingKey(pending.secretAccessKey, pending.amzDate.slice(0, 8), caller.region, caller.service);
    const path = canonicalPath(request.path, !this.singleEncoded.has(caller.service));
    const query = canonicalQuery(request.queryPairs ?? parseQuery(request.query), pending.presigned);
    let headerLines = '';
    for (let i = 0; i < pending.signedHeaders.length; i++) {
      const name = pending.signedHeaders[i]!;
      headerLines += (i ? '\n' : '') + name + ':' + signedHeaderValue(request, name);
    }
    const signedHeaders = pending.signedHeaders.join(';');
    const sign = (payloadHash: string) =>
      signatureOf(
        key,
        stringToSign(
          pending.amzDate,
          pending.scope,
          canonicalRequest(request.method, path, query, headerLines, signedHeaders, payloadHash),
        ),
      );

    const declared = canonicalHeader(request.headers['x-amz-content-sha256']);
    // UNSIGNED-PAYLOAD and S3's STREAMING-* values are signed literally (the chunks carry their own signatures).
    const literal = declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-');
    const bodyHash = literal ? declared : bodyHashOf();
    if (declared !== '' && !literal && declared !== bodyHash) throw EdgeErrors.invalidSignature();
    if (matches(sign(bodyHash), pending.signature)) return caller;
    // Presigners may sign UNSIGNED-PAYLOAD without saying so in the URL (S3 style).
    if (pending.presigned && !literal && matches(sign(UNSIGNED_PAYLOAD), pending.signature)) return caller;
    throw EdgeErrors.invalidSignature();
  }

  /** Checks the credential scope and looks the key up. */
  private resolve(request: SignedRequest, fields: SignatureFields): PendingSignature {
    const { credential, amzDate, signature, presigned } = fields;
    const parts = credential.split('/');
    if (parts.length !== 5 || parts.some((p) => p === '')) {
      throw EdgeErrors.incompleteSignature(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      );
    }
    const [accessKeyId, shortDate, region, service, terminator] = parts as [string, string, string, string, string];
    if (terminator !== 'aws4_request') {
      throw EdgeErrors.invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
    }
    if (Number.isNaN(parseAmzDate(amzDate))) {
      throw EdgeErrors.incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
    }
    if (amzDate.slice(0, 8) !== shortDate) {
      throw EdgeErrors.invalidSignature(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      );
    }
    const signedHeaders = fields.signedHeaders.split(';');
    if (!signedHeaders.includes('host')) {
      throw EdgeErrors.invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (!SIGNATURE_HEX.test(signature)) throw EdgeErrors.invalidSignature();
    const found = this.options.credentials(accessKeyId);
    if (!found) throw EdgeErrors.unrecognizedClient();
    return {
      caller: { accessKeyId, accountId: found.accountId, region, service },
      request,
      presigned,
      amzDate,
      scope: `${shortDate}/${region}/${service}/aws4_request`,
      signedHeaders,
      signature,
      secretAccessKey: found.secretAccessKey,
    };
  }

  /** Header form: within the skew window. Presigned: not before its date (less the window), not after its expiry. */
  private checkClock(amzDate: string, expiresSeconds: number | undefined): void {
    const signed = parseAmzDate(amzDate);
    const now = this.clock.now();
    if (signed > now + this.maxSkewMs) {
      throw EdgeErrors.invalidSignature(
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + this.maxSkewMs)} ` +
          `(${formatAmzDate(now)} + ${this.maxSkewMs / 60000} min.)`,
      );
    }
    const window = expiresSeconds === undefined ? this.maxSkewMs : expiresSeconds * 1000;
    if (signed < now - window) {
      const span = expiresSeconds === undefined ? `${window / 60000} min.` : `${expiresSeconds} sec.`;
      throw EdgeErrors.invalidSignature(
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - window)} (${formatAmzDate(now)} - ${span})`,
      );
    }
  }

  private signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
    const id = `${secret}\n${shortDate}\n${region}\n${service}`;
    let key = this.keys.get(id);
    if (!key) {
      // Keys change daily; a full clear now and then is simpler than an LRU and costs four HMACs.
      if (this.keys.size >= KEY_CACHE_LIMIT) this.keys.clear();
      key = deriveSigningKey(secret, shortDate, region, service);
      this.keys.set(id, key);
    }
    return key;
  }
}

/**
 * Node joins a repeated header with `, ` where SigV4 joins the trimmed values with `,`; only a
 * value with a comma can be such a join, so only then are the raw headers consulted.
 */
function signedHeaderValue(request: SignedRequest, name: string): string {
  const value = request.headers[name];
  if (typeof value !== 'string' || !value.includes(',') || !request.rawHeaders) return canonicalHeader(value);
  const values: string[] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name) values.push(canonicalHeaderValue(raw[i + 1]!));
  }
  return values.join(',');
}

function matches(expected: string, given: string): boolean {
  return expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}
