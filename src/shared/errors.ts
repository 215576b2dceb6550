/**
 * Errors that cross the API boundary. Every error a caller can see is an `AwsError`: it carries
 * the AWS error type name (`code`), the HTTP status, whether it is the caller's fault or ours,
 * and any extra members of the AWS error shape (e.g. `Reason` on TooManyRequestsException).
 * The edge maps it to the wire in one place (see src/edge/); nothing else formats errors.
 */
export type Fault = 'client' | 'server';

export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    /** AWS error type name, e.g. `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
    /** HTTP status code sent to the caller. */
    readonly status = 400,
    /** Extra members of the error shape, serialized next to the message. */
    readonly fields: Record<string, unknown> = {},
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    // An AwsError is an answer, not a bug: its stack is never shown and capturing it was a tenth
    // of the CPU of a throttled (429) Invoke. Errors that are bugs keep theirs (toAwsError logs them).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  get fault(): Fault {
    return this.status >= 500 ? 'server' : 'client';
  }
}

/** Wraps anything thrown into an AwsError; unknown errors become a 500 ServiceException. */
export function toAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  return new AwsError('ServiceException', 'An internal error occurred.', 500, { Type: 'Service' });
}
