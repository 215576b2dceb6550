/**
 * The Runtime API's answers, with the RIE's status codes and bodies verbatim
 * (`rapi/rendering/render_error.go`, `rapi/model/*`).
 */
import type { RapiReply } from './types.js';

const JSON_HEADERS = Object.freeze({ 'Content-Type': 'application/json' });

function reply(status: number, body: object): RapiReply {
  return { status, headers: JSON_HEADERS, body: Buffer.from(JSON.stringify(body)) };
}

const ACCEPTED: RapiReply = Object.freeze(reply(202, { status: 'OK' }));

/** 202 `{"status":"OK"}`: the runtime's post was taken. Shared, since it is sent per invocation. */
export function accepted(): RapiReply {
  return ACCEPTED;
}

/** 400 InvalidRequestID: the id in the path is not the invocation this environment is running. */
export function invalidRequestId(): RapiReply {
  return reply(400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
}

/** 403 InvalidStateTransition, worded as the RIE's StateTransitionFailedForRuntimeMessageFormat. */
export function invalidStateTransition(from: string, to: string): RapiReply {
  return reply(403, {
    errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
    errorType: 'InvalidStateTransition',
  });
}

/** 413 RequestEntityTooLarge, sent to the runtime when its response is over the limit. */
export function requestEntityTooLarge(maxBytes: number): RapiReply {
  return reply(413, {
    errorMessage: `Exceeded maximum allowed payload size (${maxBytes} bytes).`,
    errorType: 'RequestEntityTooLarge',
  });
}

/** 404 for paths the Runtime API does not have (the router's plain-text default, as chi's). */
export function notFound(): RapiReply {
  return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('404 page not found\n') };
}

/** 405 for a known path with the wrong method (chi's default: no body). */
export function methodNotAllowed(): RapiReply {
  return { status: 405, headers: {}, body: Buffer.alloc(0) };
}
