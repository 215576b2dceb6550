/**
 * The contract between the edge and the services behind it. A service is its AWS model (the
 * JSON API description, see models/) plus one handler per operation. The edge parses the wire
 * request into the operation's input shape and serializes the handler's output; handlers never
 * see HTTP details except through `OperationContext`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A service model as published in AWS's `apis/*.json` (metadata, operations, shapes). */
export interface ServiceModel {
  metadata: {
    protocol: string;
    signingName?: string;
    endpointPrefix: string;
    targetPrefix?: string;
    jsonVersion?: string;
    apiVersion: string;
    [k: string]: unknown;
  };
  operations: Record<string, any>;
  shapes: Record<string, any>;
}

/** What a handler learns about the request besides its input. */
export interface OperationContext {
  /** The request id returned as x-amzn-RequestId. */
  requestId: string;
  region: string;
  accountId: string;
  /** The access key that signed the request. */
  accessKeyId: string;
  /** Base URL the caller used to reach us, e.g. `http://localhost:4566`. */
  baseUrl: string;
  /** The raw request, for the rare operation that needs more (e.g. client disconnects). */
  request: IncomingMessage;
  /**
   * The response the edge writes: to observe (e.g. when it is out, for a trace) or to add a header
   * the model has no member for (GetAccountSettings' Warning); never write its head or body.
   */
  response?: ServerResponse;
}

/**
 * Input and output are plain objects shaped like the model's input/output shapes (member names
 * exactly as in the model; blobs as Buffer; timestamps as Date; maps and lists as JS objects).
 */
export type OperationHandler = (input: any, ctx: OperationContext) => Promise<any>;

/** A service as the edge mounts it: its model, its handlers, and a few protocol settings. */
export interface ServiceDefinition {
  /** The SigV4 credential-scope service this answers to, e.g. `lambda`, `logs`. */
  signingName: string;
  model: ServiceModel;
  /**
   * Handlers by operation name as the model spells it. A handler may return `rawResponse(...)`
   * (raw-response.ts) to write the HTTP response itself. Operations without a handler answer 501.
   */
  operations: Record<string, OperationHandler>;
  /**
   * Error code for a request that cannot be parsed (bad JSON, wrong value types, bad labels).
   * Default `SerializationException`; Lambda answers `InvalidRequestContentException`.
   */
  serializationErrorCode?: string;
  /** Content-Type of raw blob payload responses (Invoke's); default `application/octet-stream`. */
  payloadContentType?: string;
  /**
   * Enum shapes, by operation, that the handlers check themselves because the service answers
   * them with its own error (Lambda's Runtime: InvalidParameterValueException); the edge checks
   * every other enum of the model before the handler runs (edge/README.md, "Handler values").
   */
  handlerEnums?: Readonly<Record<string, readonly string[]>>;
}
