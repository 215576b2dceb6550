/**
 * In-process calls: a service calls another service's operation with a typed input, as a
 * caller, and gets its typed output; no HTTP and no serialization, but the same input
 * validation against the model, the same authorization hook and the same handler as an HTTP
 * request. Event source mappings, notifications, destinations, dead-letter queues and alarm
 * actions talk this way. The callee declares typed references to its operations in its
 * `api.ts`; callers import only that file of it.
 */
import type { Caller } from './operation-context.js';

/** A typed reference to one operation of one API (its model's `endpointPrefix`). */
export interface OperationRef<I, O> {
  readonly api: string;
  readonly operation: string;
  /** Never set: carries the input and output types. */
  readonly types?: { input: I; output: O };
}

/** Declares a reference to `operation` of the API whose model's endpointPrefix is `api`. */
export function operationRef<I, O>(api: string, operation: string): OperationRef<I, O> {
  return { api, operation };
}

/** Who calls, and where. */
export interface CallOptions {
  caller: Caller;
  region: string;
  /** Defaults to a new request id. */
  requestId?: string;
  /** X-Amzn-Trace-Id to carry on, if any. */
  traceHeader?: string;
  signal?: AbortSignal;
}

export interface ServiceCalls {
  /** Runs the operation: validation, authorization, handler; throws the callee's AwsErrors. */
  call<I, O>(ref: OperationRef<I, O>, input: I, options: CallOptions): Promise<O>;
}
