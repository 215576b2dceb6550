/**
 * The contract between the edge and the services behind it. A service is its AWS model (the
 * JSON API description, see models/) plus one handler per operation. The edge parses the wire
 * request into the operation's input shape and serializes the handler's output; an in-process
 * call hands the input over as it is. Handlers never see HTTP: only an `OperationContext`.
 */
import type { AwsError } from '../shared/errors.js';
import type { AccessRequest } from './authorization.js';
import type { OperationHandler } from './operation-context.js';

export type { OperationContext, OperationHandler } from './operation-context.js';

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

/** A service as the edge mounts it: its model, its handlers, and a few protocol settings. */
export interface ServiceDefinition {
  /** The SigV4 credential-scope service this answers to, e.g. `lambda`, `logs`. */
  signingName: string;
  model: ServiceModel;
  /** Handlers by operation name as the model spells it. Operations without a handler answer 501. */
  operations: Record<string, OperationHandler>;
  /** What each operation asks of IAM (authorization.ts); default: `signingName:Operation` on `*`. */
  access?: ServiceAccess;
  /** Request bodies of particular operations: their own cap, or streamed (body-stream.ts). */
  bodies?: Record<string, BodyPolicy>;
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

/** IAM's view of a service's operations. */
export interface ServiceAccess {
  /** The IAM action prefix, when it is not the signing name (CloudWatch: `cloudwatch`, signed as `monitoring`). */
  iamPrefix?: string;
  /** Operations whose action is not `prefix:Operation` or whose resources are not `*`. */
  operations?: Record<string, (input: any, scope: { accountId: string; region: string }) => Partial<AccessRequest>>;
}

/** What calling `operation` with `input` asks of IAM, by the service's declaration. */
export function accessRequestOf(
  definition: ServiceDefinition,
  operation: string,
  input: unknown,
  scope: { accountId: string; region: string },
): AccessRequest {
  const declared = definition.access?.operations && Object.hasOwn(definition.access.operations, operation)
    ? definition.access.operations[operation]!(input, scope)
    : undefined;
  if (declared?.actions && declared.resources) return { actions: declared.actions, resources: declared.resources };
  const fixed = defaultAccess(definition, operation);
  return declared ? { actions: declared.actions ?? fixed.actions, resources: declared.resources ?? fixed.resources } : fixed;
}

/** `prefix:Operation` on `*`, made once per operation (every call of it asks the same). */
const defaults = new WeakMap<ServiceDefinition, Map<string, AccessRequest>>();
function defaultAccess(definition: ServiceDefinition, operation: string): AccessRequest {
  let byOperation = defaults.get(definition);
  if (!byOperation) defaults.set(definition, (byOperation = new Map()));
  let access = byOperation.get(operation);
  if (!access) {
    access = Object.freeze({ actions: Object.freeze([`${definition.access?.iamPrefix ?? definition.signingName}:${operation}`]), resources: Object.freeze(['*']) }) as AccessRequest;
    byOperation.set(operation, access);
  }
  return access;
}

/** How the edge takes one operation's request body. */
export interface BodyPolicy {
  /** The most bytes it accepts (default: the edge's limit); checked from Content-Length before reading. */
  maxBytes?: number;
  /** The error past `maxBytes` (default: RequestEntityTooLargeException for the operation). */
  tooLarge?: () => AwsError;
  /**
   * Read and drop a body up to this many bytes over `maxBytes` before answering, so that a
   * client mid-upload hears the error (an Invoke payload a little over 6 MB); default 0: cut at once.
   */
  drainBytes?: number;
  /**
   * Hand the payload member to the handler as a BodyStream, read as the handler reads it, in
   * flat memory (rest protocols with a blob payload; the request must carry x-amz-content-sha256).
   */
  stream?: boolean;
}
