/** POST /runtime/invocation/{id}/error: the handler failed; the body describes the error. */
import { MAX_RESPONSE_BYTES } from '../limits.js';
import { accepted, invalidRequestId, invalidStateTransition, requestEntityTooLarge } from './replies.js';
import type { RapiRequest, Respond, RuntimeApiBackend } from './types.js';

/** Same validation order as a response; the error type comes from Lambda-Runtime-Function-Error-Type. */
export function invocationError(req: RapiRequest, backend: RuntimeApiBackend, respond: Respond, requestId: string): void {
  if (requestId === '' || requestId !== backend.currentRequestId()) return respond(invalidRequestId());
  if (req.bodyTooLarge) {
    if (!backend.responseTooLarge()) return respond(invalidStateTransition(backend.stateName(), 'InvocationErrorResponse'));
    return respond(requestEntityTooLarge(MAX_RESPONSE_BYTES));
  }
  const errorType = req.header('lambda-runtime-function-error-type');
  if (!backend.error(errorType, req.body)) {
    return respond(invalidStateTransition(backend.stateName(), 'InvocationErrorResponse'));
  }
  respond(accepted());
}
