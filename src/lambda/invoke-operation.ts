/**
 * Invoke: the hot path. Resolve the function and its qualifier from memory (an alias picks a
 * version by its routing weights), check the request, hand the event to the sandbox, and
 * return what the function produced with the version that ran (X-Amz-Executed-Version). A
 * function's failure comes back as a result with X-Amz-Function-Error, never as an API error.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import type { OperationHandler } from '../edge/service.js';
import { decideTrace } from '../observe/tracing/trace-decision.js';
import type { InvokeResult } from '../sandbox/types.js';
import { LambdaErrors } from '../shared/errors.js';
import { functionArn, parseFunctionRef, resolveQualifier as mergeQualifier } from './arn.js';
import type { LambdaDeps } from './deps.js';
import { LIMITS } from './function-rules.js';
import { resolveQualifier } from './qualifier.js';
import { runInvocation } from './run-invocation.js';

const EMPTY_EVENT = Buffer.from('{}');

export function invokeOperation(deps: LambdaDeps): OperationHandler {
  const { partition } = deps;
  const random = deps.random ?? Math.random;

  return async function Invoke(input, ctx) {
    const ref = parseFunctionRef(input.FunctionName, partition);
    const qualifier = mergeQualifier(ref, input.Qualifier);
    const state = await deps.functions.get(ref.name);
    if (!state) throw LambdaErrors.notFound(`Function not found: ${functionArn(partition, ref.name, qualifier)}`);
    const { resolved } = resolveQualifier(state, qualifier, partition, random());

    const invocationType = input.InvocationType ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse' && invocationType !== 'DryRun' && invocationType !== 'Event') {
      throw LambdaErrors.invalidParameter(
        `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [Event, RequestResponse, DryRun]',
      );
    }
    const payload: Buffer = input.Payload && input.Payload.length > 0 ? input.Payload : EMPTY_EVENT;
    if (invocationType === 'Event' && payload.length > LIMITS.asyncPayloadBytes) {
      throw LambdaErrors.tooLarge(
        `${payload.length} byte payload is too large for the Event invocation type (limit ${LIMITS.asyncPayloadBytes} bytes)`,
      );
    }
    if (payload.length > LIMITS.syncPayloadBytes) {
      throw LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`);
    }
    checkJson(payload);
    const clientContext = input.ClientContext !== undefined ? decodeClientContext(input.ClientContext) : undefined;
    if (input.LogType !== undefined && input.LogType !== 'None' && input.LogType !== 'Tail') {
      throw LambdaErrors.invalidParameter(
        `1 validation error detected: Value '${input.LogType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
      );
    }
    if (invocationType === 'DryRun') return { StatusCode: 204 };
    // X-Amzn-Trace-Id is not in Invoke's model: read from the request, decided per TracingConfig.
    const decision = decideTrace(ctx.request.headers['x-amzn-trace-id'], resolved.record.tracingMode, deps.clock.now(), deps.traceSampler, ref.name);

    if (invocationType === 'Event') {
      // Committed before the 202: an accepted event survives a crash (at-least-once).
      const now = deps.clock.now();
      await deps.store.asyncEvents.enqueue({
        id: ctx.requestId,
        functionName: ref.name,
        qualifier: qualifier ?? '$LATEST',
        payload,
        receivedAt: now,
        attempts: 0,
        throttles: 0,
        dueAt: now,
        traceId: decision.value,
      });
      deps.async.received++;
      deps.asyncMetrics?.asyncEvent({ kind: 'received', functionName: ref.name, qualifier });
      deps.async.accepted();
      return { StatusCode: 202 };
    }

    const invokedFunctionArn = functionArn(partition, ref.name, qualifier);
    const trace = deps.tracer?.begin({
      decision,
      trigger: 'other',
      functionName: ref.name,
      version: resolved.record.version,
      invokedArn: invokedFunctionArn,
      requestId: ctx.requestId,
    });
    // The request id the caller sees (x-amzn-RequestId) is the function's awsRequestId, as on AWS.
    const request = {
      requestId: ctx.requestId,
      payload,
      invokedFunctionArn,
      ...(clientContext !== undefined ? { clientContext } : {}),
      traceId: trace?.header ?? decision.value,
      tail: input.LogType === 'Tail',
    };
    // A throttle is immediate (429 with the Reason), never queued; the lease is released on
    // every exit path, whatever the function does.
    let result: InvokeResult;
    try {
      result = await runInvocation(deps, { functionName: ref.name, qualifier, resolved, request, trace });
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
      ExecutedVersion: resolved.record.version,
      ...(result.functionError ? { FunctionError: result.functionError } : {}),
      ...(result.logResult !== undefined ? { LogResult: result.logResult } : {}),
    };
  };
}

/** Lambda refuses an event that is not JSON before running anything. */
function checkJson(payload: Buffer): void {
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw LambdaErrors.invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
}

function decodeClientContext(encoded: string): string {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  if (Buffer.byteLength(text) > LIMITS.clientContextBytes) {
    throw LambdaErrors.invalidParameter(`Client context must be smaller than ${LIMITS.clientContextBytes} bytes.`);
  }
  try {
    JSON.parse(text);
  } catch {
    throw LambdaErrors.invalidParameter('Client context must be a valid Base64-encoded JSON object.');
  }
  return text;
}
