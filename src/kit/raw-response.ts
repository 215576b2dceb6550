/**
 * The escape hatch from model serialization. A handler that must write the HTTP response itself
 * (Lambda response streaming, function URLs, event streams) returns `rawResponse(write)`; the
 * edge then skips serialization and calls `write(res)` with `x-amzn-RequestId` already set. If
 * `write` throws before sending headers, the error is answered like any other; after, the
 * connection is cut.
 */
import type { ServerResponse } from 'node:http';

/** The tag the edge looks for on a handler's result. */
export const RAW_RESPONSE: unique symbol = Symbol.for('nimbus.edge.rawResponse');

/** A handler result that writes the response itself. */
export interface RawResponse {
  [RAW_RESPONSE]: (res: ServerResponse) => void | Promise<void>;
}

/** Wraps a writer as a handler result. */
export function rawResponse(write: (res: ServerResponse) => void | Promise<void>): RawResponse {
  return { [RAW_RESPONSE]: write };
}

/** Whether a handler result asks to write the response itself. */
export function isRawResponse(value: unknown): value is RawResponse {
  return typeof value === 'object' && value !== null && typeof (value as any)[RAW_RESPONSE] === 'function';
}
