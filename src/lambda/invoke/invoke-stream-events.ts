/**
 * The closing event of InvokeWithResponseStream's event stream, `InvokeComplete`, and what it
 * says of a failed invocation. (The framing is the edge's: edge/protocols/event-stream-writer.ts.)
 * https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStreamResponseEvent.html
 */
/** InvokeWithResponseStreamCompleteEvent: all members optional; a clean end has none but LogResult. */
export interface InvokeComplete {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

/**
 * ErrorCode and ErrorDetails of a failed invocation, from its error object
 * (`{"errorType":…,"errorMessage":…}`): AWS does not document their values; Nimbus gives the
 * error's type (e.g. `Error`, `Sandbox.Timedout`) and message, `Unhandled` when the object has no type.
 */
export function errorOf(errorPayload: Buffer): Pick<InvokeComplete, 'ErrorCode' | 'ErrorDetails'> {
  let value: unknown;
  try {
    value = JSON.parse(errorPayload.toString('utf8'));
  } catch {
    value = undefined;
  }
  const error = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const type = typeof error.errorType === 'string' && error.errorType !== '' ? error.errorType : 'Unhandled';
  const message = typeof error.errorMessage === 'string' ? error.errorMessage : errorPayload.toString('utf8');
  return { ErrorCode: type, ErrorDetails: message };
}
