/** GET /runtime/invocation/next: the runtime asks for its next event (long-poll). */
import { invalidStateTransition } from './replies.js';
import type { RapiRequest, Respond, RuntimeApiBackend } from './types.js';

/** Parks the request until an invocation is delivered, or refuses it in the wrong state. */
export function invocationNext(_req: RapiRequest, backend: RuntimeApiBackend, respond: Respond): void {
  if (!backend.next(respond)) respond(invalidStateTransition(backend.stateName(), 'Ready'));
}
