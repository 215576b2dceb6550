/**
 * The errors the edge itself raises, before or around a service's handler: authentication,
 * routing, body size and (de)serialization. Codes and messages are AWS's where AWS's are known.
 * They are plain `AwsError`s; each protocol writes them in its own wire shape.
 */
import { bodyTooLarge } from '../kit/http/body.js';
import { AwsError } from '../shared/errors.js';

/** AWS's wording for a signature that does not verify. */
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The edge's own errors, by situation. */
export const EdgeErrors = {
  /** No Authorization header and no presigned query parameters. */
  missingAuthentication: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
  /** Authorization header or presigned parameters present but malformed. */
  incompleteSignature: (message: string) => new AwsError('IncompleteSignatureException', message, 403),
  /** An operation that streams its body needs to know up front what was signed of it. */
  missingContentSha256: () => new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400),
  /** A streamed body whose hash is not the x-amz-content-sha256 that was signed. */
  contentHashMismatch: (declared: string, computed: string) =>
    new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
      ClientComputedContentSHA256: declared,
      S3ComputedContentSHA256: computed,
    }),
  /** Well-formed, but the access key is unknown. */
  unrecognizedClient: () =>
    new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
  /** Signature mismatch, clock skew, expiry, scope mismatch. */
  invalidSignature: (message: string = SIGNATURE_MISMATCH) => new AwsError('InvalidSignatureException', message, 403),
  /** The credential scope names a service no ServiceDefinition answers to. */
  unknownService: (service: string, known: string[]) =>
    new AwsError(
      'UnknownServiceException',
      `The service '${service}' named in the request's credential scope is not served here ` +
        `(served: ${known.join(', ') || 'none'}).`,
      400,
    ),
  /** No operation of the service matches the request. */
  unknownOperation: (message: string, status = 404) => new AwsError('UnknownOperationException', message, status),
  /** Request body over the edge's limit (Lambda's shape, used for every service). */
  tooLarge: bodyTooLarge,
  /** The body (or a header, label, query value) cannot be read as the model says. */
  serialization: (code: string, message: string) => new AwsError(code, message, 400, { Type: 'User' }),
  /** Model validation failures, AWS's message format (see validate.ts). */
  validation: (message: string) => new AwsError('ValidationException', message, 400),
} as const;
