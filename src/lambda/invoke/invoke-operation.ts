/**
 * Invoke: the hot path. The request's settings are read here (InvocationType, ClientContext,
 * LogType); resolution, payload checks, the trace, queueing or the leased run are
 * startInvocation's. The answer is what the function produced with the version that ran
 * (X-Amz-Executed-Version); a function's failure comes back as a result with
 * X-Amz-Function-Error, never as an API error.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import type { LambdaDeps } from '../deps.js';
import { decodeClientContext, eventOf, invocationTypeError, readLogType } from './invoke-request.js';
import { startInvocation } from './start-invocation.js';

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];
const MODES = { Event: 'queue', RequestResponse: 'run', DryRun: 'check' } as const;

export function invokeOperation(deps: LambdaDeps): OperationHandler {
  return async function Invoke(input, ctx) {
    const invocationType = input.InvocationType ?? 'RequestResponse';
    if (!INVOCATION_TYPES.includes(invocationType)) throw invocationTypeError(invocationType, INVOCATION_TYPES);
    const clientContext = decodeClientContext(input.ClientContext);
    const tail = readLogType(input.LogType);
    const started = await startInvocation(deps, {
      kind: 'invoke',
      mode: MODES[invocationType as keyof typeof MODES],
      functionName: input.FunctionName,
      qualifier: input.Qualifier,
      payload: eventOf(input.Payload),
      requestId: ctx.requestId,
      ...(ctx.traceHeader !== undefined ? { traceHeader: ctx.traceHeader } : {}),
      ...(clientContext !== undefined ? { clientContext } : {}),
      tail,
      answered: () => ctx.responded,
    });
    if (!started.ran) return { StatusCode: invocationType === 'Event' ? 202 : 204 };
    const { result } = started;
    return {
      StatusCode: 200,
      Payload: result.payload,
      ExecutedVersion: started.executedVersion,
      ...(result.functionError ? { FunctionError: result.functionError } : {}),
      ...(result.logResult !== undefined ? { LogResult: result.logResult } : {}),
    };
  };
}
