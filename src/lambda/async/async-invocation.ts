/**
 * How the dispatcher runs an asynchronous event and delivers its record: the same resolution
 * and concurrency lease as a synchronous invoke (a throttle becomes a retry, not an error), and
 * Lambda-function destinations as new asynchronous events (durable like any other).
 */
import { randomUUID } from 'node:crypto';
import { decideTrace } from '../../observe/tracing/trace-decision.js';
import { AwsError } from '../../shared/errors.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { AsyncEventRecord } from '../../store/async-event-store.js';
import { functionArn, parseFunctionRef } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import { resolveQualifier } from '../versions/qualifier.js';
import { runInvocation } from '../invoke/run-invocation.js';
import type { AsyncAttempt } from './async-dispatcher.js';

/** Runs one attempt of `event`; a missing function or qualifier is a platform fault (rethrown). */
export async function attemptAsyncEvent(deps: LambdaDeps, event: AsyncEventRecord): Promise<AsyncAttempt> {
  const state = await deps.functions.get(event.functionName);
  if (!state) throw LambdaErrors.notFound(`Function not found: ${functionArn(deps.partition, event.functionName)}`);
  const random = deps.random ?? Math.random;
  const { resolved } = resolveQualifier(state, event.qualifier, deps.partition, random());
  const qualifier = event.qualifier === '$LATEST' ? undefined : event.qualifier;
  const invokedFunctionArn = functionArn(deps.partition, event.functionName, qualifier);
  // The stored header carries the decision made when the event was accepted; an event without
  // one (a destination record) is decided now.
  const decision = decideTrace(event.traceId, resolved.record.tracingMode, deps.clock.now(), deps.traceSampler, event.functionName);
  const trace = deps.tracer?.begin({
    decision,
    trigger: 'other',
    functionName: event.functionName,
    version: resolved.record.version,
    invokedArn: invokedFunctionArn,
    requestId: event.id,
    // Waiting since it was due: its arrival for a first attempt, its retry time after.
    queuedAtMs: event.dueAt,
  });
  try {
    const result = await runInvocation(deps, {
      functionName: event.functionName,
      qualifier,
      resolved,
      request: {
        requestId: event.id,
        payload: event.payload,
        invokedFunctionArn,
        traceId: trace?.header ?? decision.value,
        tail: false,
      },
      trace,
    });
    trace?.ran(result);
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
    trace?.failed(err);
    if (err instanceof AwsError && err.code === 'TooManyRequestsException') {
      return { outcome: 'throttled' };
    }
    throw err;
  } finally {
    trace?.finish();
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
  deps.asyncMetrics?.asyncEvent({ kind: 'received', functionName: target.name, qualifier: target.qualifier });
  deps.async.accepted();
}

/** The DeadLetterConfig target of the version `event` runs; undefined when it has none or the function is gone. */
export async function deadLetterTargetOf(deps: LambdaDeps, event: AsyncEventRecord): Promise<string | undefined> {
  const state = await deps.functions.get(event.functionName);
  if (!state) return undefined;
  try {
    return resolveQualifier(state, event.qualifier, deps.partition, (deps.random ?? Math.random)()).resolved.record.deadLetterTargetArn;
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
export function lambdaDestination(deps: Pick<LambdaDeps, 'partition'>, arn: string): { name: string; qualifier?: string } | undefined {
  if (!arn.startsWith('arn:') || !arn.includes(':lambda:')) return undefined;
  try {
    return parseFunctionRef(arn, deps.partition);
  } catch {
    return undefined;
  }
}
