/**
 * What a signed request is, and who it came from once verified. The edge's SigV4 verifier
 * implements `RequestVerifier`; raw routes that authenticate for themselves (function URLs
 * with AWS_IAM) receive it from the platform rather than importing the edge.
 */

/** The verified identity of a request. */
export interface VerifiedCaller {
  accessKeyId: string;
  accountId: string;
  /** Region and service of the credential scope. */
  region: string;
  service: string;
}

/** The parts of a request the signature covers; `path` and `query` as sent (still encoded). */
export interface SignedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Decoded query pairs, when the caller has them already. */
  queryPairs?: ReadonlyArray<readonly [string, string]>;
  /** Node's `rawHeaders`, to canonicalize repeated headers exactly. */
  rawHeaders?: string[];
}

/** Verifies a whole request (head and body) at once; throws the edge's AWS-shaped 403s. */
export interface RequestVerifier {
  verifyRequest(request: SignedRequest, body: Uint8Array): VerifiedCaller;
}
