/**
 * The one way an invocation starts, whatever triggered it (Invoke, InvokeWithResponseStream, an
 * asynchronous event's attempt, a function URL; later mappings, notifications, API Gateway):
 *
 *   resolve FunctionName + Qualifier (memory only; an alias picks a version by its weights)
 *   → check the payload by the trigger's rules → decide the trace (TracingConfig)
 *   → queue it (InvocationType Event: committed before the caller hears 202)
 *     or run it holding a concurrency lease, with its metrics (run-invocation.ts)
 *
 * A new trigger adds a kind here, not another copy of this. Errors are Lambda's AwsErrors
 * (not found, too large, throttled); a function's failure is a result.
 */
import { formatTraceHeader } from '../../observe/tracing/xray-trace-header.js';
import { newSpanId } from '../../observe/tracing/trace-ids.js';
import { decideTrace, type TraceDecision } from '../../observe/tracing/trace-decision.js';
import type { InvocationTrace } from '../../observe/tracing/spans/invocation-tracer.js';
import type { InvokeResult, ResponseStreamSink } from '../../sandbox/types.js';
import { functionArn } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import { LIMITS } from '../functions/function-rules.js';
import { LambdaErrors } from '../lambda-errors.js';
import { checkSyncEvent, resolveInvokeTarget } from './invoke-request.js';
import { runInvocation } from './run-invocation.js';

const EMPTY_EVENT = Buffer.from('{}');

/** What started an invocation: decides its payload rules and how its trace is labelled. */
export type TriggerKind = 'invoke' | 'invoke-stream' | 'async-event' | 'destination' | 'function-url';

export interface InvocationTrigger {
  kind: TriggerKind;
  /** As the caller named it: a name, a partial or full ARN, optionally qualified. */
  functionName: string;
  qualifier?: string;
  /** The event; a trigger that builds it from the decided trace (a function URL) gives it to `start`. */
  payload?: Buffer;
  /** The function's awsRequestId (the caller's x-amzn-RequestId, the queued event's id). */
  requestId: string;
  /** The caller's X-Amzn-Trace-Id, or the header a queued event was accepted with. */
  traceHeader?: string;
  /** Decoded ClientContext JSON. */
  clientContext?: string;
  /** LogType Tail. */
  tail?: boolean;
  /** Where a streamed response goes as the runtime writes it. */
  responseStream?: ResponseStreamSink;
  /** Run it now (default), queue it (InvocationType Event), or only check it (DryRun). */
  mode?: 'run' | 'queue' | 'check';
  /** A queued event's attempt: when it became due, for the trace's queue wait. */
  queuedAtMs?: number;
  /**
   * Settles once the answer is out; the trace ends then (without it, when the run ends). Asked
   * for only when the invocation is traced: most are not, and the promise costs a listener.
   */
  answered?: () => Promise<unknown>;
  /** Extra span attributes (a URL request's method and path). */
  attributes?: Record<string, string>;
}

/** What became of a started invocation. */
export type StartedInvocation =
  | { ran: false; functionName: string }
  | { ran: true; functionName: string; executedVersion: string; result: InvokeResult };

/** An invocation resolved and checked, not yet started: for the stream, whose head needs the version first. */
export interface PreparedInvocation {
  functionName: string;
  /** The version that runs (an alias's weights already chose). */
  executedVersion: string;
  /** The decided X-Amzn-Trace-Id (Sampled=0 or 1), as callers and events see it. */
  traceHeader: string;
  /** Checks the payload, then queues or runs it by the trigger's mode (`check`: nothing more). */
  start(payload?: Buffer): Promise<StartedInvocation>;
}

/** Resolves, checks and starts an invocation. */
export async function startInvocation(deps: LambdaDeps, trigger: InvocationTrigger): Promise<StartedInvocation> {
  return (await prepareInvocation(deps, trigger)).start();
}

/** Resolves the function and version and checks the payload; throws Lambda's errors. */
export async function prepareInvocation(deps: LambdaDeps, trigger: InvocationTrigger): Promise<PreparedInvocation> {
  const target = await resolveInvokeTarget(deps, trigger.functionName, trigger.qualifier);
  const { record } = target.resolved;
  const functionName = target.functionName;
  const decision = decideTrace(trigger.traceHeader, record.tracingMode, deps.clock.now(), deps.traceSampler, functionName);
  return {
    functionName,
    executedVersion: record.version,
    traceHeader: decision.value,
    async start(given) {
      const payload = given ?? trigger.payload ?? EMPTY_EVENT;
      checkPayload(trigger, payload);
      if (trigger.mode === 'check') return { ran: false, functionName };
      if (trigger.mode === 'queue') {
        await queue(deps, trigger, payload, target.functionName, target.qualifier, decision.value);
        return { ran: false, functionName };
      }
      const result = await run(deps, trigger, payload, target, decision);
      return { ran: true, functionName, executedVersion: record.version, result };
    },
  };
}

/** Commits the event before the caller hears 202: an accepted event survives a crash (at-least-once). */
async function queue(
  deps: LambdaDeps,
  trigger: InvocationTrigger,
  payload: Buffer,
  functionName: string,
  qualifier: string | undefined,
  traceId: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.asyncEvents.enqueue({
    ...deps.scope,
    id: trigger.requestId,
    functionName,
    qualifier: qualifier ?? '$LATEST',
    payload,
    receivedAt: now,
    attempts: 0,
    throttles: 0,
    dueAt: now,
    traceId,
  });
  deps.async.received++;
  deps.asyncMetrics?.asyncEvent({ kind: 'received', scope: deps.scope, functionName, qualifier });
  deps.async.accepted();
}

/** Runs it holding a concurrency lease, traced when sampled. */
async function run(
  deps: LambdaDeps,
  trigger: InvocationTrigger,
  payload: Buffer,
  target: Awaited<ReturnType<typeof resolveInvokeTarget>>,
  decision: TraceDecision,
): Promise<InvokeResult> {
  const { record } = target.resolved;
  const invokedFunctionArn = functionArn(deps.scope, target.functionName, target.qualifier);
  const trace = deps.tracer?.begin({
    decision,
    trigger: trigger.kind === 'function-url' ? 'http' : 'other',
    functionName: target.functionName,
    version: record.version,
    invokedArn: invokedFunctionArn,
    region: deps.scope.region,
    requestId: trigger.requestId,
    ...(trigger.queuedAtMs !== undefined ? { queuedAtMs: trigger.queuedAtMs } : {}),
    ...(trigger.attributes ? { attributes: trigger.attributes } : {}),
  });
  if (trace && trigger.answered) trace.respondedWhen(trigger.answered());
  let result: InvokeResult;
  try {
    result = await runInvocation(deps, {
      functionName: target.functionName,
      qualifier: target.qualifier,
      resolved: target.resolved,
      request: {
        requestId: trigger.requestId,
        payload,
        invokedFunctionArn,
        ...(trigger.clientContext !== undefined ? { clientContext: trigger.clientContext } : {}),
        traceId: functionTraceHeader(trace, decision),
        tail: trigger.tail ?? false,
        ...(trigger.responseStream ? { responseStream: trigger.responseStream } : {}),
      },
      ...(trace ? { trace } : {}),
    });
  } catch (err) {
    trace?.failed(err);
    if (!trigger.answered) trace?.finish();
    throw err;
  }
  trace?.ran(result);
  if (!trigger.answered) trace?.finish();
  return result;
}

/** The payload rules of each trigger: an Event is at most 256 KB, a synchronous one 6 MB of JSON. */
function checkPayload(trigger: InvocationTrigger, payload: Buffer): void {
  switch (trigger.kind) {
    case 'async-event':
      return; // checked when it was accepted
    case 'destination':
      return; // a record Lambda wrote itself
    case 'function-url':
      if (payload.length > LIMITS.syncPayloadBytes) {
        throw LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`);
      }
      return; // JSON by construction
    default:
      if (trigger.mode === 'queue' && payload.length > LIMITS.asyncPayloadBytes) {
        throw LambdaErrors.tooLarge(
          `${payload.length} byte payload is too large for the Event invocation type (limit ${LIMITS.asyncPayloadBytes} bytes)`,
        );
      }
      checkSyncEvent(payload);
  }
}

/**
 * `_X_AMZN_TRACE_ID`: the decided trace, with the invocation's segment as `Parent` when it is
 * sampled (the recorded invoke span's id, or a fresh one when spans are not exported).
 */
function functionTraceHeader(trace: InvocationTrace | undefined, decision: TraceDecision): string {
  if (trace) return trace.header;
  return decision.sampled ? formatTraceHeader({ ...decision.header, parent: newSpanId() }) : decision.value;
}
