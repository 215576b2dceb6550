/**
 * The invocation record Lambda sends to an OnSuccess / OnFailure destination, built exactly as
 * AWS shapes it.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */

export type RecordCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface LastAttempt {
  statusCode: number;
  executedVersion: string;
  functionError?: string;
  payload: Buffer;
}

export interface RecordInput {
  requestId: string;
  /** Qualified ARN of the version or alias invoked (`…:function:NAME:$LATEST` when unqualified). */
  functionArn: string;
  condition: RecordCondition;
  approximateInvokeCount: number;
  requestPayload: Buffer;
  /** Absent when the function never ran (an event that aged out while throttled). */
  lastAttempt?: LastAttempt;
  now: number;
}

export function destinationRecord(r: RecordInput): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: new Date(r.now).toISOString(),
    requestContext: {
      requestId: r.requestId,
      functionArn: r.functionArn,
      condition: r.condition,
      approximateInvokeCount: r.approximateInvokeCount,
    },
    requestPayload: parseOrText(r.requestPayload),
    ...(r.lastAttempt
      ? {
          responseContext: {
            statusCode: r.lastAttempt.statusCode,
            executedVersion: r.lastAttempt.executedVersion,
            ...(r.lastAttempt.functionError ? { functionError: r.lastAttempt.functionError } : {}),
          },
          responsePayload: parseOrText(r.lastAttempt.payload),
        }
      : {}),
  };
}

/** Payloads are JSON when they parse (as AWS embeds them), else their text. */
function parseOrText(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
