/**
 * The Runtime API seen from both sides: what a transport hands to the routes (a request with its
 * body already read under a cap), what the routes answer, and what an environment must offer
 * the routes (`RuntimeApiBackend`, the RIE's registration service + interop server in one).
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 */

/** One Runtime API request, transport-neutral. */
export interface RapiRequest {
  /** Lower-case header lookup. */
  header(name: string): string | undefined;
  /** The body, or empty when it was over the route's cap. */
  body: Buffer;
  /** The body was longer than the route allows (it was read and discarded, not buffered). */
  bodyTooLarge: boolean;
}

/** One Runtime API answer. */
export interface RapiReply {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

/** Sends the answer to a request; calling it after the connection closed is harmless. */
export type Respond = (reply: RapiReply) => void;

/** What an environment offers the Runtime API. Methods return false when its state forbids the call. */
export interface RuntimeApiBackend {
  /** Name of the current state, for InvalidStateTransition messages. */
  stateName(): string;
  /** Id of the invocation most recently handed to the runtime (the RIE's "current invoke id"). */
  currentRequestId(): string | undefined;
  /** GET /next: parks `respond` until an invocation is delivered to it. */
  next(respond: Respond): boolean;
  /** The runtime posted its response for the current invocation. */
  response(body: Buffer): boolean;
  /**
   * The runtime began a streamed response POST for the current invocation (its body follows via
   * `streamChunk`, its end via `response`, `responseTooLarge` or `error`). Returns the byte cap
   * of the streamed body, or false when the state forbids it.
   */
  streamBegin(contentType: string | undefined): number | false;
  /** A chunk of the streamed response, as it arrived. */
  streamChunk(chunk: Buffer): void;
  /** The runtime posted a response over the payload limit. */
  responseTooLarge(): boolean;
  /** The runtime posted an error for the current invocation. */
  error(errorType: string | undefined, body: Buffer): boolean;
  /** The runtime could not initialize. */
  initError(errorType: string | undefined, body: Buffer): boolean;
}

/** An open Runtime API endpoint belonging to exactly one environment. */
export interface RuntimeApiEndpoint {
  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Stops serving and drops every connection, parked GET /next included. */
  close(): Promise<void>;
}

/** How Runtime API requests reach an environment. One endpoint per environment. */
export interface RuntimeApiTransport {
  open(backend: RuntimeApiBackend): Promise<RuntimeApiEndpoint>;
}
