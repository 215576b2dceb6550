/**
 * How the dispatcher runs an asynchronous event and delivers its record: the same resolution
 * and concurrency lease as a synchronous invoke (a throttle becomes a retry, not an error), and
 * Lambda-function destinations as new asynchronous events (durable like any other).
 */
import { randomUUID } from 'node:crypto';
import { AwsError, LambdaErrors } from '../../shared/errors.js';
import type { AsyncEventRecord } from '../../store/async-event-store.js';
import { functionArn, parseFunctionRef } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import { resolveQualifier } from '../qualifier.js';
import { runInvocation } from '../run-invocation.js';
import type { AsyncAttempt } from './async-dispatcher.js';

/** Runs one attempt of `event`; a missing function or qualifier is a platform fault (rethrown). */
export async function attemptAsyncEvent(deps: LambdaDeps, event: AsyncEventRecord): Promise<AsyncAttempt> {
  const state = await deps.functions.get(event.functionName);
  if (!state) throw LambdaErrors.notFound(`Function not found: ${functionArn(deps.partition, event.functionName)}`);
  const random = deps.random ?? Math.random;
  const { resolved } = resolveQualifier(state, event.qualifier, deps.partition, random());
  const qualifier = event.qualifier === '$LATEST' ? undefined : event.qualifier;
  try {
    const result = await runInvocation(deps, {
      functionName: event.functionName,
      qualifier,
      resolved,
      request: {
        requestId: event.id,
        payload: event.payload,
        invokedFunctionArn: functionArn(deps.partition, event.functionName, qualifier),
        ...(event.traceId ? { traceId: event.traceId } : {}),
        tail: false,
      },
    });
    return {
      outcome: result.functionError ? 'function-error' : 'success',
      last: {
        statusCode: 200,
        executedVersion: resolved.record.version,
        ...(result.functionError ? { functionError: result.functionError } : {}),
        payload: result.payload,
      },
    };
  } catch (err) {
    if (err instanceof AwsError && err.code === 'TooManyRequestsException') {
      return { outcome: 'throttled' };
    }
    throw err;
  }
}

/** Sends a destination record; only Lambda functions are destinations until SQS/SNS/EventBridge exist. */
export async function deliverToDestination(deps: LambdaDeps, destinationArn: string, record: Record<string, unknown>): Promise<void> {
  const target = lambdaDestination(deps, destinationArn);
  if (!target) throw new Error(`destination ${destinationArn} is not a Lambda function Nimbus can deliver to`);
  const now = deps.clock.now();
  await deps.store.asyncEvents.enqueue({
    id: randomUUID(),
    functionName: target.name,
    qualifier: target.qualifier ?? '$LATEST',
    payload: Buffer.from(JSON.stringify(record)),
    receivedAt: now,
    attempts: 0,
    throttles: 0,
    dueAt: now,
  });
  deps.async.received++;
  deps.async.accepted();
}

/** The function a destination ARN names, when it is one of this account's Lambda functions. */
export function lambdaDestination(deps: Pick<LambdaDeps, 'partition'>, arn: string): { name: string; qualifier?: string } | undefined {
  if (!arn.startsWith('arn:') || !arn.includes(':lambda:')) return undefined;
  try {
    return parseFunctionRef(arn, deps.partition);
  } catch {
    return undefined;
  }
}
