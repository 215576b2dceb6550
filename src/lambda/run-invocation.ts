/**
 * Runs one invocation of a resolved function version the way every synchronous path does
 * (Invoke, function URLs, the async dispatcher's attempts): holding a concurrency lease,
 * counted as running inside it, with its metrics recorded. A throttle is recorded and rethrown
 * (429 TooManyRequestsException); a function's failure is a result.
 */
import type { InvokeRequest, InvokeResult } from '../sandbox/types.js';
import { AwsError } from '../shared/errors.js';
import type { LambdaDeps } from './deps.js';
import type { ResolvedFunction } from './function-cache.js';

export interface Invocation {
  functionName: string;
  /** The qualifier as invoked (undefined for the unqualified function), for metrics. */
  qualifier: string | undefined;
  /** The version that runs. */
  resolved: ResolvedFunction;
  request: InvokeRequest;
}

export async function runInvocation(deps: LambdaDeps, invocation: Invocation): Promise<InvokeResult> {
  const { functionName, qualifier, resolved } = invocation;
  const result = await deps.concurrency
    .withLease(functionName, () => {
      // Counted inside the lease, so throttled attempts do not inflate ConcurrentExecutions.
      const ended = deps.metrics?.running(functionName);
      return deps.executor.invoke(resolved.spec, invocation.request).finally(() => ended?.());
    })
    .catch((err: unknown) => {
      if (err instanceof AwsError && err.status === 429) deps.metrics?.record({ functionName, qualifier, throttled: true });
      throw err;
    });
  deps.metrics?.record({
    functionName,
    qualifier,
    executedVersion: resolved.record.version,
    durationMs: result.durationMs,
    error: result.functionError !== undefined,
  });
  return result;
}
