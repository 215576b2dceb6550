/**
 * One invocation while an environment owns it, and how it ends: the platform's END and REPORT
 * lines go to the log, then the caller gets its InvokeResult. Kept apart from the environment's
 * lifecycle so each stays readable on its own.
 */
import type { LogCapture } from '../logs/log-capture.js';
import { billedDuration, endLine, reportLine, reportRecord } from '../logs/platform-lines.js';
import type { TimerHandle } from '../timers.js';
import type { InvokeRequest, InvokeResult } from '../types.js';

/** An invocation assigned to an environment. */
export interface Invocation {
  readonly request: InvokeRequest;
  /** Undefined: the event never reached the runtime, the caller may run it elsewhere. */
  readonly resolve: (result: InvokeResult | undefined) => void;
  /** Platform faults only. */
  readonly reject: (err: unknown) => void;
  /** It paid for the environment's start; its tail began at launch, to show init output. */
  readonly cold: boolean;
  /** Epoch ms at which it times out (Lambda-Runtime-Deadline-Ms). */
  deadlineMs: number;
  timer: TimerHandle | undefined;
  /** Monotonic time the event went to the runtime; 0 until then. */
  deliveredAt: number;
  initDurationMs: number | undefined;
  settled: boolean;
  /** The runtime answers in streaming mode (its POST began). */
  streamed: boolean;
}

/** How an invocation ended, before the platform lines and figures are added. */
export interface Outcome {
  payload: Buffer;
  functionError?: 'Unhandled';
  /** Platform lines printed before END (timeout notice, exit error). */
  lines?: string[];
  maxMemoryUsedMb: number;
}

/** A new, not yet assigned invocation. */
export function newInvocation(
  request: InvokeRequest,
  cold: boolean,
  resolve: Invocation['resolve'],
  reject: Invocation['reject'],
): Invocation {
  return {
    request,
    resolve,
    reject,
    cold,
    deadlineMs: 0,
    timer: undefined,
    deliveredAt: 0,
    initDurationMs: undefined,
    settled: false,
    streamed: false,
  };
}

/** Writes END and REPORT (after any output still pending) and hands the result over, once. */
export function settle(
  inv: Invocation,
  outcome: Outcome,
  durationMs: number,
  capture: LogCapture,
  memorySize: number,
  /** Set for the JSON log format: platform records (stamped at `now`) instead of END/REPORT; `report` false under SystemLogLevel WARN. */
  json?: { now: number; report: boolean },
): void {
  if (inv.settled) return;
  inv.settled = true;
  const id = inv.request.requestId;
  capture.flushPartials();
  const billedDurationMs = billedDuration(durationMs);
  const figures = {
    requestId: id,
    durationMs,
    billedDurationMs,
    memorySize,
    maxMemoryUsedMb: outcome.maxMemoryUsedMb,
    initDurationMs: inv.initDurationMs,
  };
  const closing = !json
    ? [endLine(id), reportLine(figures)]
    : json.report
      ? [reportRecord(json.now, figures, outcome.functionError ? 'error' : 'success')]
      : [];
  capture.platform(...(outcome.lines ?? []), ...capture.endInvocation(id), ...closing);
  const { payload, maxMemoryUsedMb } = outcome;
  const result: InvokeResult = { payload, durationMs, billedDurationMs, maxMemoryUsedMb };
  if (outcome.functionError) result.functionError = outcome.functionError;
  if (inv.request.tail) result.logResult = capture.endTail();
  if (inv.initDurationMs !== undefined) result.initDurationMs = inv.initDurationMs;
  if (inv.streamed) result.streamed = true;
  inv.resolve(result);
}
