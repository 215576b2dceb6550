/**
 * What a caller receives when the runtime reports an error: the body the runtime posted, when
 * it is JSON (the runtime clients post `{"errorMessage","errorType","stackTrace"}`). A body that
 * is not JSON (a bash bootstrap's plain text) is wrapped into that shape, so the Invoke payload
 * is always JSON, as on Lambda.
 */

/** The payload to return for an error the runtime posted with `Lambda-Runtime-Function-Error-Type: errorType`. */
export function errorPayload(errorType: string | undefined, body: Buffer): Buffer {
  if (body.length > 0 && isJson(body)) return body;
  return Buffer.from(
    JSON.stringify({ errorMessage: body.toString('utf8'), errorType: errorType || 'Runtime.Unknown' }),
  );
}

/** The error type to log for a posted error: the header, else the body's errorType, else Runtime.Unknown. */
export function errorTypeOf(errorType: string | undefined, payload: Buffer): string {
  if (errorType) return errorType;
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    const t = parsed && typeof parsed === 'object' ? (parsed as { errorType?: unknown }).errorType : undefined;
    if (typeof t === 'string' && t) return t;
  } catch {
    // Not JSON: fall through.
  }
  return 'Runtime.Unknown';
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
