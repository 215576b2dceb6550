/**
 * How the dispatcher runs an asynchronous event and delivers its record, both through
 * startInvocation: the same resolution and concurrency lease as a synchronous invoke (a throttle
 * becomes a retry, not an error), and Lambda-function destinations as new queued events.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../shared/errors.js';
import type { AsyncEventRecord } from '../store/async-event-store.js';
import { parseFunctionRef } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import { resolveQualifier } from '../versions/qualifier.js';
import { startInvocation } from '../invoke/start-invocation.js';
import type { AsyncAttempt } from './async-dispatcher.js';

/** Runs one attempt of `event`; a missing function or qualifier is a platform fault (rethrown). */
export async function attemptAsyncEvent(deps: LambdaDeps, event: AsyncEventRecord): Promise<AsyncAttempt> {
  try {
    const started = await startInvocation(deps, {
      kind: 'async-event',
      functionName: event.functionName,
      ...(event.qualifier !== '$LATEST' ? { qualifier: event.qualifier } : {}),
      payload: event.payload,
      requestId: event.id,
      // The decision made when the event was accepted; an event without one (a destination record) is decided now.
      ...(event.traceId !== undefined ? { traceHeader: event.traceId } : {}),
      // Waiting since it was due: its arrival for a first attempt, its retry time after.
      queuedAtMs: event.dueAt,
    });
    if (!started.ran) throw new Error('an asynchronous attempt must run');
    const { result } = started;
    return {
      outcome: result.functionError ? 'function-error' : 'success',
      last: {
        statusCode: 200,
        executedVersion: started.executedVersion,
        ...(result.functionError ? { functionError: result.functionError } : {}),
        payload: result.payload,
      },
    };
  } catch (err) {
    if (err instanceof AwsError && err.code === 'TooManyRequestsException') return { outcome: 'throttled' };
    throw err;
  }
}

/** Sends a destination record: a Lambda function gets it as a new asynchronous event (durable like any other). */
export async function deliverToDestination(deps: LambdaDeps, destinationArn: string, record: Record<string, unknown>): Promise<void> {
  const target = lambdaDestination(deps, destinationArn);
  if (!target) throw new Error(`destination ${destinationArn} is not a Lambda function Nimbus can deliver to`);
  await startInvocation(deps, {
    kind: 'destination',
    mode: 'queue',
    functionName: target.name,
    ...(target.qualifier !== undefined ? { qualifier: target.qualifier } : {}),
    payload: Buffer.from(JSON.stringify(record)),
    requestId: randomUUID(),
  });
}

/** The DeadLetterConfig target of the version `event` runs; undefined when it has none or the function is gone. */
export async function deadLetterTargetOf(deps: LambdaDeps, event: AsyncEventRecord): Promise<string | undefined> {
  const state = await deps.functions.get(event.functionName);
  if (!state) return undefined;
  try {
    return resolveQualifier(state, event.qualifier, deps.scope, (deps.random ?? Math.random)()).resolved.record.deadLetterTargetArn;
  } catch {
    return undefined; // the qualifier was deleted since the event was queued
  }
}

/**
 * Sends a dropped event to its dead-letter queue or topic. Lambda accepts only SQS queues and
 * SNS topics there, and Nimbus serves neither yet, so the attempt fails: the dispatcher logs it
 * and counts it as DeadLetterErrors, which is what Lambda reports when a DLQ cannot be reached.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
 */
export async function deliverToDeadLetter(targetArn: string): Promise<void> {
  throw new Error(`dead-letter target ${targetArn} cannot be reached: Nimbus serves no SQS queues or SNS topics yet`);
}

/** The function a destination ARN names, when it is one of this account's Lambda functions. */
export function lambdaDestination(deps: Pick<LambdaDeps, 'scope'>, arn: string): { name: string; qualifier?: string } | undefined {
  if (!arn.startsWith('arn:') || !arn.includes(':lambda:')) return undefined;
  try {
    return parseFunctionRef(arn, deps.scope);
  } catch {
    return undefined;
  }
}
