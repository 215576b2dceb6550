/**
 * One traced invocation as recorded on the invoke path (a few numbers), and the spans it becomes
 * when exported: a root span for the invocation and a child for each phase it went through.
 *
 *   <function name>   SERVER    accepted → answered (or handed back to the async queue)
 *   ├─ queue wait     INTERNAL  accepted (async: due) → concurrency lease and environment taken
 *   ├─ init           INTERNAL  the cold start: runtime launch → its first /next (Init Duration)
 *   ├─ invoke         INTERNAL  event delivered → the function answered (Duration)
 *   └─ response       INTERNAL  the answer back to the caller, written out (synchronous paths)
 *
 * Phases are placed from the REPORT figures (Duration, Init Duration), measured by the
 * environment, ending where the result came back; they never start before the lease.
 * Attributes follow OpenTelemetry's FaaS conventions.
 * https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/
 */
import { newSpanId } from '../trace-ids.js';

/** FaaS trigger types (`faas.trigger`): Invoke and async events are `other`, function URLs `http`. */
export type FaasTrigger = 'http' | 'other';

export type AttributeValue = string | number | boolean;

/** What the invoke path recorded about one sampled invocation; times in epoch milliseconds. */
export interface TracedInvocation {
  /** OpenTelemetry trace id (32 hex), from the X-Ray root. */
  traceId: string;
  /** The caller's span (X-Ray `Parent=`), if any. */
  parentSpanId?: string;
  /** The invoke phase's span id: the function's `_X_AMZN_TRACE_ID` names it as `Parent=`. */
  invokeSpanId: string;
  functionName: string;
  /** The version that ran. */
  version: string;
  /** The ARN the caller invoked, qualified or not. */
  invokedArn: string;
  requestId: string;
  trigger: FaasTrigger;
  region: string;
  /** Attributes of the trigger (an HTTP request's method, path and status). */
  attributes?: Record<string, AttributeValue>;
  startMs: number;
  /** The lease was taken (absent: throttled before). */
  leasedMs?: number;
  /** The result came back from the environment (absent: it never ran). */
  resultMs?: number;
  /** Duration of the function's run, from REPORT. */
  durationMs?: number;
  /** Init Duration, set on a cold start. */
  initDurationMs?: number;
  /** The answer was written back to a caller (synchronous paths): a response phase. */
  responded: boolean;
  endMs: number;
  /** Set when the function failed (FunctionError) or the invocation was refused. */
  error?: { type: string; message: string };
}

export const SPAN_KIND_INTERNAL = 1;
export const SPAN_KIND_SERVER = 2;

/** One span, ready to encode. */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: typeof SPAN_KIND_INTERNAL | typeof SPAN_KIND_SERVER;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  error?: { message: string };
}

/** How many spans `invocationSpans` makes of `inv` (for counting without building them). */
export function spanCount(inv: TracedInvocation): number {
  let n = 1;
  if (inv.leasedMs !== undefined) n++;
  if (inv.resultMs !== undefined && inv.durationMs !== undefined) n += inv.initDurationMs !== undefined ? 2 : 1;
  if (inv.responded) n++;
  return n;
}

/** The root span and its phases. `newId` makes the ids not recorded on the invoke path. */
export function invocationSpans(inv: TracedInvocation, newId: () => string = newSpanId): Span[] {
  const rootId = newId();
  const child = (spanId: string, name: string, startMs: number, endMs: number): Span => ({
    traceId: inv.traceId,
    spanId,
    parentSpanId: rootId,
    name,
    kind: SPAN_KIND_INTERNAL,
    startMs,
    endMs: Math.max(startMs, endMs),
    attributes: {},
  });
  const cold = inv.initDurationMs !== undefined;
  const root: Span = {
    traceId: inv.traceId,
    spanId: rootId,
    ...(inv.parentSpanId !== undefined ? { parentSpanId: inv.parentSpanId } : {}),
    name: inv.functionName,
    kind: SPAN_KIND_SERVER,
    startMs: inv.startMs,
    endMs: Math.max(inv.startMs, inv.endMs),
    attributes: {
      'faas.trigger': inv.trigger,
      'faas.invocation_id': inv.requestId,
      'faas.coldstart': cold,
      'faas.name': inv.functionName,
      'faas.version': inv.version,
      'cloud.region': inv.region,
      'cloud.resource_id': inv.invokedArn,
      ...inv.attributes,
    },
  };
  const spans = [root];
  // Nothing of the function's runs before the lease: phases are clamped to start after it.
  const floor = inv.leasedMs ?? inv.startMs;
  if (inv.leasedMs !== undefined) spans.push(child(newId(), 'queue wait', inv.startMs, inv.leasedMs));
  if (inv.resultMs !== undefined && inv.durationMs !== undefined) {
    const invokeStart = Math.max(floor, inv.resultMs - inv.durationMs);
    if (inv.initDurationMs !== undefined) {
      spans.push(child(newId(), 'init', Math.max(floor, invokeStart - inv.initDurationMs), invokeStart));
    }
    const invoke = child(inv.invokeSpanId, 'invoke', invokeStart, inv.resultMs);
    if (inv.error) invoke.error = { message: inv.error.message };
    spans.push(invoke);
  }
  if (inv.responded) spans.push(child(newId(), 'response', inv.resultMs ?? floor, inv.endMs));
  if (inv.error) {
    root.error = { message: inv.error.message };
    root.attributes['error.type'] = inv.error.type;
  }
  return spans;
}
