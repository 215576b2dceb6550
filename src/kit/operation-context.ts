/**
 * What an operation handler receives besides its input: who called, for which account and
 * region, and a few typed facts of the request. No raw HTTP objects: the same handler serves a
 * signed HTTP request through the edge and an in-process call from another service.
 */

/** Who a call acts for. */
export interface Caller {
  accountId: string;
  /**
   * The principal's ARN: the account root (`arn:aws:iam::ACCOUNT:root`) until the identity issue
   * adds users and roles, or a service principal (`lambda.alarms.cloudwatch.amazonaws.com`)
   * when a service acts on its own behalf.
   */
  principal: string;
  /** The access key that signed the request, for HTTP calls. */
  accessKeyId?: string;
  /** For a service principal: the resource it acts for (IAM's aws:SourceArn / aws:SourceAccount). */
  sourceArn?: string;
  sourceAccount?: string;
}

/** The account root of `accountId`, the one principal there is until IAM users and roles exist. */
export function rootCaller(accountId: string, accessKeyId?: string): Caller {
  return { accountId, principal: `arn:aws:iam::${accountId}:root`, ...(accessKeyId ? { accessKeyId } : {}) };
}

/** A service acting on its own behalf for a resource of `accountId` (alarm actions, notifications). */
export function serviceCaller(principal: string, accountId: string, sourceArn: string): Caller {
  return { accountId, principal, sourceArn, sourceAccount: accountId };
}

export interface OperationContext {
  /** The request id (x-amzn-RequestId over HTTP). */
  requestId: string;
  /** The region the call addresses: the SigV4 credential scope's, or the in-process caller's. */
  region: string;
  /** The account whose resources the call addresses: the caller's. */
  accountId: string;
  caller: Caller;
  /** How the call arrived. */
  via: 'http' | 'in-process';
  /** The base URL a caller reaches Nimbus at, for URLs in answers (`http://localhost:4566`). */
  baseUrl: string;
  /** The request's X-Amzn-Trace-Id, when it had one. */
  traceHeader?: string;
  /**
   * Headers to add to the HTTP answer that the model has no member for (GetAccountSettings'
   * Warning); an in-process caller never sees them.
   */
  responseHeaders: Record<string, string>;
  /** Aborts when the caller goes away before the answer (an HTTP client disconnecting). */
  signal: AbortSignal;
  /** Settles once the answer is out: written to the socket, or returned to the in-process caller. */
  responded: Promise<void>;
}

/**
 * Input and output are plain objects shaped like the model's input/output shapes (member names
 * exactly as in the model; blobs as Buffer; timestamps as Date; maps and lists as JS objects; an
 * event stream as an AsyncIterable of `{ EventName: {...} }` objects).
 */
export type OperationHandler = (input: any, ctx: OperationContext) => Promise<any>;
