/**
 * What the invoke path tells the observers about each invocation: one cheap, synchronous call
 * per invoke (`record`) and a running mark for concurrency (`running`). Observers aggregate in
 * memory and write elsewhere off the hot path (lambda-metrics.ts: CloudWatch minutes;
 * prometheus-metrics.ts: /metrics).
 */
import type { Scope } from '../shared/scope.js';

/** One finished (or throttled) invocation. */
export interface InvocationSample {
  /** The function's account and region; absent: the server's own. */
  scope?: Scope;
  functionName: string;
  /** The qualifier the caller named (alias or version), if any: CloudWatch's `Resource` is `name:qualifier`. */
  qualifier?: string;
  /** The version that ran (`$LATEST` or a number); with an alias qualifier it is the `ExecutedVersion` dimension. */
  executedVersion?: string;
  /** Set on a cold start: how long the environment's init phase took, in milliseconds (REPORT's Init Duration). */
  initDurationMs?: number;
  /** Run time in milliseconds; absent for a throttled invocation, which never ran. */
  durationMs?: number;
  /** The function failed (`FunctionError` set: handled, unhandled, timeout, crash). */
  error?: boolean;
  /** Refused for lack of concurrency (429 TooManyRequestsException); not an invocation. */
  throttled?: boolean;
  /** Ran on a provisioned environment (ProvisionedConcurrencyInvocations). */
  provisioned?: boolean;
  /** Ran on demand although its version or alias has provisioned concurrency, all of it busy (ProvisionedConcurrencySpilloverInvocations). */
  spillover?: boolean;
}

/** How a running invocation counts. */
export interface RunningOptions {
  /** The function's account and region; absent: the server's own. */
  scope?: Scope;
  /** The function has no reserved concurrency: it runs on the account's shared pool (UnreservedConcurrentExecutions). */
  unreserved?: boolean;
  /** The qualifier the caller named (a version or alias): ConcurrentExecutions by `Resource` too. */
  qualifier?: string;
}

/** An observer of invocations. Both methods must be cheap: they run on the invoke path. */
export interface InvocationRecorder {
  record(sample: InvocationSample): void;
  /** Marks one invocation of `functionName` as running; call the returned function exactly once when it ends. */
  running(functionName: string, options?: RunningOptions): () => void;
}

/** Several recorders behind one (the server feeds CloudWatch and Prometheus from one call). */
export function recorders(...all: InvocationRecorder[]): InvocationRecorder {
  return {
    record(sample) {
      for (const r of all) r.record(sample);
    },
    running(functionName, options) {
      const ends = all.map((r) => r.running(functionName, options));
      return () => {
        for (const end of ends) end();
      };
    },
  };
}
