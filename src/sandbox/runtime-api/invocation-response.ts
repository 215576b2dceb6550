/** POST /runtime/invocation/{id}/response: the runtime's result for an invocation. */
import { MAX_RESPONSE_BYTES } from '../limits.js';
import { accepted, invalidRequestId, invalidStateTransition, requestEntityTooLarge } from './replies.js';
import type { RapiRequest, Respond, RuntimeApiBackend } from './types.js';

/** Validates the id before any state change (as the RIE's AwsRequestIDValidator), then hands the body over. */
export function invocationResponse(req: RapiRequest, backend: RuntimeApiBackend, respond: Respond, requestId: string): void {
  if (requestId === '' || requestId !== backend.currentRequestId()) return respond(invalidRequestId());
  if (req.bodyTooLarge) {
    // The invocation fails with Function.ResponseSizeTooLarge; the runtime is told 413 and may go on.
    if (!backend.responseTooLarge()) return respond(invalidStateTransition(backend.stateName(), 'InvocationResponse'));
    return respond(requestEntityTooLarge(MAX_RESPONSE_BYTES));
  }
  if (!backend.response(req.body)) return respond(invalidStateTransition(backend.stateName(), 'InvocationResponse'));
  respond(accepted());
}
