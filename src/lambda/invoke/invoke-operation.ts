/**
 * Invoke: the hot path. Resolve the function and its qualifier from memory (an alias picks a
 * version by its routing weights), check the request, hand the event to the sandbox, and
 * return what the function produced with the version that ran (X-Amz-Executed-Version). A
 * function's failure comes back as a result with X-Amz-Function-Error, never as an API error.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import type { InvokeResult } from '../../sandbox/types.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { LambdaDeps } from '../deps.js';
import { LIMITS } from '../functions/function-rules.js';
import {
  checkSyncEvent,
  decodeClientContext,
  eventOf,
  invocationTypeError,
  readLogType,
  resolveInvokeTarget,
  syncInvocation,
  traceDecisionOf,
} from './invoke-request.js';
import { runInvocation } from './run-invocation.js';

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];

export function invokeOperation(deps: LambdaDeps): OperationHandler {
  return async function Invoke(input, ctx) {
    const target = await resolveInvokeTarget(deps, input.FunctionName, input.Qualifier);
    const invocationType = input.InvocationType ?? 'RequestResponse';
    if (!INVOCATION_TYPES.includes(invocationType)) throw invocationTypeError(invocationType, INVOCATION_TYPES);
    const payload = eventOf(input.Payload);
    if (invocationType === 'Event' && payload.length > LIMITS.asyncPayloadBytes) {
      throw LambdaErrors.tooLarge(
        `${payload.length} byte payload is too large for the Event invocation type (limit ${LIMITS.asyncPayloadBytes} bytes)`,
      );
    }
    checkSyncEvent(payload);
    const clientContext = decodeClientContext(input.ClientContext);
    const tail = readLogType(input.LogType);
    if (invocationType === 'DryRun') return { StatusCode: 204 };
    const decision = traceDecisionOf(deps, ctx, target);

    if (invocationType === 'Event') {
      // Committed before the 202: an accepted event survives a crash (at-least-once).
      const now = deps.clock.now();
      await deps.store.asyncEvents.enqueue({
        id: ctx.requestId,
        functionName: target.functionName,
        qualifier: target.qualifier ?? '$LATEST',
        payload,
        receivedAt: now,
        attempts: 0,
        throttles: 0,
        dueAt: now,
        traceId: decision.value,
      });
      deps.async.received++;
      deps.asyncMetrics?.asyncEvent({ kind: 'received', functionName: target.functionName, qualifier: target.qualifier });
      deps.async.accepted();
      return { StatusCode: 202 };
    }

    const invocation = syncInvocation(deps, ctx, target, { payload, clientContext, tail, decision });
    const { trace } = invocation;
    // A throttle is immediate (429 with the Reason), never queued; the lease is released on
    // every exit path, whatever the function does.
    let result: InvokeResult;
    try {
      result = await runInvocation(deps, invocation);
    } catch (err) {
      trace?.failed(err);
      trace?.respondOn(ctx.response);
      throw err;
    }
    trace?.ran(result);
    trace?.respondOn(ctx.response);
    return {
      StatusCode: 200,
      Payload: result.payload,
      ExecutedVersion: target.resolved.record.version,
      ...(result.functionError ? { FunctionError: result.functionError } : {}),
      ...(result.logResult !== undefined ? { LogResult: result.logResult } : {}),
    };
  };
}
