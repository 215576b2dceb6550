/**
 * The answer to GET /next that carries an invocation: the event as body and its context in
 * Lambda-Runtime-* headers (the RIE's `renderInvokeHeaders`).
 */
import type { RapiReply } from './types.js';

/** One invocation as the runtime receives it. */
export interface RuntimeEvent {
  requestId: string;
  /** Epoch milliseconds at which the invocation times out. */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
  payload: Buffer;
}

/** Renders the event; optional headers are only sent when present, as Lambda does. */
export function eventReply(e: RuntimeEvent): RapiReply {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Aws-Request-Id': e.requestId,
    'Lambda-Runtime-Deadline-Ms': String(e.deadlineMs),
    'Lambda-Runtime-Invoked-Function-Arn': e.invokedFunctionArn,
  };
  if (e.traceId) headers['Lambda-Runtime-Trace-Id'] = headerSafe(e.traceId);
  if (e.clientContext) headers['Lambda-Runtime-Client-Context'] = headerSafe(e.clientContext);
  if (e.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = headerSafe(e.cognitoIdentity);
  return { status: 200, headers, body: e.payload };
}

/**
 * JSON text made safe for an HTTP header without changing what it parses to: characters past
 * Latin-1 become \uXXXX escapes (only valid inside JSON strings, where they can only be) and
 * line breaks (only valid as whitespace between tokens) become spaces.
 */
export function headerSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\t\x20-\x7e]/.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[^\t\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
