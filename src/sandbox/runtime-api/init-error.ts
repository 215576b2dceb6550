/** POST /runtime/init/error: the runtime could not initialize (e.g. Runtime.ImportModuleError). */
import { MAX_RESPONSE_BYTES } from '../limits.js';
import { accepted, invalidStateTransition, requestEntityTooLarge } from './replies.js';
import type { RapiRequest, Respond, RuntimeApiBackend } from './types.js';

/** Only allowed before the first GET /next; the error is served to the invocation that is waiting. */
export function initError(req: RapiRequest, backend: RuntimeApiBackend, respond: Respond): void {
  const errorType = req.header('lambda-runtime-function-error-type');
  // An oversized body still fails the init: the caller gets the error type without the body.
  const body = req.bodyTooLarge ? Buffer.alloc(0) : req.body;
  if (!backend.initError(errorType, body)) return respond(invalidStateTransition(backend.stateName(), 'InitError'));
  respond(req.bodyTooLarge ? requestEntityTooLarge(MAX_RESPONSE_BYTES) : accepted());
}
