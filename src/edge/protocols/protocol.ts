/**
 * What a wire protocol does for the edge: find the operation a request addresses, read its input,
 * write its output, write an error. One implementation per AWS protocol (`rest-json`, `json`, and
 * `query`, `smithy-rpc-v2-cbor`, later `rest-xml`), each driven entirely by the service model; see index.ts.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AwsError } from '../../shared/errors.js';
import type { BodyStream } from '../../kit/http/body-stream.js';
import type { RequestTarget } from '../../kit/http/request-target.js';
import type { HandlerEnums } from '../../kit/validation/operation-validators.js';
import type { ServiceModel } from '../../kit/service-definition.js';

/** A request as the protocols see it: already authenticated, body fully read. */
export interface ProtocolRequest {
  method: string;
  target: RequestTarget;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** An operation that streams its body (kit/http/body-stream.ts) gets it here; `body` is then empty. */
  stream?: BodyStream;
}

/**
 * What is known of a request before its body is read: enough to tell its protocol apart when a
 * service speaks several (CloudWatch: rpc-v2-cbor, json, query).
 */
export type ProtocolHead = Omit<ProtocolRequest, 'body'>;

/**
 * The operation a request addresses, plus whatever the protocol learned while finding it (URI
 * labels); the edge only reads the name and hands it back.
 */
export interface Routed {
  readonly name: string;
}

/** One wire protocol compiled for one service model. */
export interface Protocol<R extends Routed = Routed> {
  /** The operation the request addresses; throws UnknownOperationException. */
  route(request: ProtocolRequest): R;
  /**
   * The request routed by its head alone, when the head names the operation (every protocol but
   * a query POST, whose Action is in the body): the edge applies the operation's body policy
   * before reading any of the body, and uses this as the route. Undefined when the head does not
   * tell, or routing it failed (`route` then answers with the body in hand).
   */
  routeHead(head: ProtocolHead): R | undefined;
  /** The operation's input, parsed and validated; throws serialization or validation errors. */
  readInput(routed: R, request: ProtocolRequest): Record<string, unknown>;
  /**
   * Writes a handler's output as the operation's response; an event stream member is written as
   * its events come (resolving when the stream ends), a readable blob payload piped.
   */
  writeOutput(res: ServerResponse, routed: R, output: unknown): void | Promise<void>;
  /**
   * Writes an error in this protocol's shape. `head` is the failed request, when known: a service
   * speaking several protocols answers in the one the request used.
   */
  writeError(res: ServerResponse, error: AwsError, head?: ProtocolHead): void;
}

/** Per-service settings of the protocol layer. */
export interface ProtocolOptions {
  /** Error code for bodies (or labels, query values, headers) that cannot be parsed. */
  serializationErrorCode: string;
  /** Content-Type of a raw blob payload response when no header member sets one. */
  payloadContentType: string;
  /** Enum shapes, by operation, that the service's handlers check themselves (`ServiceDefinition.handlerEnums`). */
  handlerEnums?: HandlerEnums;
}

/** Builds a protocol for one service model; everything per operation is precompiled here. */
export type ProtocolFactory = (model: ServiceModel, options: ProtocolOptions) => Protocol;
