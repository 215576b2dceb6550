/**
 * Reading the signature fields of a request, from the `Authorization` header or from presigned
 * query parameters, with AWS's IncompleteSignatureException messages for what is missing or
 * malformed. Nothing is checked against credentials or the clock here (see sigv4.ts).
 */
import { EdgeErrors } from './edge-errors.js';
import { ALGORITHM, canonicalHeader, formatAmzDate } from './sigv4-canonical.js';

/** The fields a signature check needs, as the request gave them. */
export interface SignatureFields {
  /** `AKID/YYYYMMDD/region/service/aws4_request` */
  credential: string;
  /** `host;x-amz-date;...` */
  signedHeaders: string;
  signature: string;
  /** `YYYYMMDDTHHMMSSZ` */
  amzDate: string;
  presigned: boolean;
  /** X-Amz-Expires of a presigned URL. */
  expiresSeconds?: number;
}

const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** The fields of `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function headerFields(auth: string, headers: Record<string, string | string[] | undefined>): SignatureFields {
  const space = auth.indexOf(' ');
  const algorithm = space < 0 ? auth : auth.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw EdgeErrors.incompleteSignature(`Unsupported authorization type. Authorization=${auth}`);
  }
  const fields: Record<string, string> = {};
  for (const part of auth.slice(space + 1).split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      throw EdgeErrors.incompleteSignature(
        `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${trimmed}'.`,
      );
    }
    fields[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  const missing: string[] = [];
  if (!fields.Credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!fields.Signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!fields.SignedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  // SigV4 takes the time from X-Amz-Date, else from Date.
  let amzDate = canonicalHeader(headers['x-amz-date']);
  if (amzDate === '') {
    const date = Date.parse(canonicalHeader(headers.date));
    if (Number.isNaN(date)) {
      missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    } else amzDate = formatAmzDate(date);
  }
  if (missing.length > 0) throw EdgeErrors.incompleteSignature(`${missing.join(' ')} Authorization=${auth}`);
  return {
    credential: fields.Credential!,
    signedHeaders: fields.SignedHeaders!,
    signature: fields.Signature!,
    amzDate,
    presigned: false,
  };
}

/** The fields of a presigned URL's `X-Amz-*` query parameters (decoded pairs). */
export function presignedFields(pairs: ReadonlyArray<readonly [string, string]>): SignatureFields {
  const params = new Map<string, string>();
  for (const [k, v] of pairs) if (k.startsWith('X-Amz-')) params.set(k, v);
  const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']
    .filter((k) => !params.get(k))
    .map((k) => `AWS query-string parameters must include '${k}'.`);
  if (missing.length > 0) throw EdgeErrors.incompleteSignature(`${missing.join(' ')} Re-examine the query-string parameters.`);
  if (params.get('X-Amz-Algorithm') !== ALGORITHM) {
    throw EdgeErrors.incompleteSignature(`Unsupported X-Amz-Algorithm: ${params.get('X-Amz-Algorithm')}`);
  }
  const expires = Number(params.get('X-Amz-Expires') ?? '900');
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) {
    throw EdgeErrors.incompleteSignature(
      `X-Amz-Expires must be an integer between 1 and ${MAX_PRESIGN_SECONDS} seconds, not '${params.get('X-Amz-Expires')}'.`,
    );
  }
  return {
    credential: params.get('X-Amz-Credential')!,
    signedHeaders: params.get('X-Amz-SignedHeaders')!,
    signature: params.get('X-Amz-Signature')!,
    amzDate: params.get('X-Amz-Date')!,
    presigned: true,
    expiresSeconds: expires,
  };
}
