/**
 * Runs one invocation of a resolved function version the way every synchronous path does
 * (Invoke, function URLs, the async dispatcher's attempts): holding a concurrency lease,
 * counted as running inside it, with its metrics recorded. A throttle is recorded and rethrown
 * (429 TooManyRequestsException); a function's failure is a result.
 */
import type { InvocationTrace } from '../../observe/tracing/spans/invocation-tracer.js';
import type { InvokeRequest, InvokeResult } from '../../sandbox/types.js';
import { SandboxFault } from '../../sandbox/sandbox-fault.js';
import { AwsError } from '../../shared/errors.js';
import type { LambdaDeps } from '../deps.js';
import type { ResolvedFunction } from '../functions/function-cache.js';
import { lambdaErrorOf } from './sandbox-faults.js';

export interface Invocation {
  functionName: string;
  /** The qualifier as invoked (undefined for the unqualified function), for metrics. */
  qualifier: string | undefined;
  /** The version that runs. */
  resolved: ResolvedFunction;
  request: InvokeRequest;
  /** The invocation's spans, when its trace is sampled and recorded: told when the lease is taken. */
  trace?: InvocationTrace;
}

export async function runInvocation(deps: LambdaDeps, invocation: Invocation): Promise<InvokeResult> {
  const { functionName, qualifier, resolved } = invocation;
  const result = await deps.concurrency
    .withLease(functionName, (lease) => {
      invocation.trace?.leased();
      // Counted inside the lease, so throttled attempts do not inflate ConcurrentExecutions.
      const ended = deps.metrics?.running(functionName, {
        scope: deps.scope,
        unreserved: !lease.reserved,
        ...(qualifier !== undefined ? { qualifier } : {}),
      });
      return deps.executor
        .invoke(resolved.spec, invocation.request)
        .catch((err: unknown) => {
          throw err instanceof SandboxFault ? lambdaErrorOf(err) : err;
        })
        .finally(() => ended?.());
    })
    .catch((err: unknown) => {
      if (err instanceof AwsError && err.status === 429) deps.metrics?.record({ scope: deps.scope, functionName, qualifier, throttled: true });
      throw err;
    });
  if (!deps.metrics) return result;
  const provisioned = result.provisioned === true;
  deps.metrics.record({
    scope: deps.scope,
    functionName,
    qualifier,
    executedVersion: resolved.record.version,
    durationMs: result.durationMs,
    ...(result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
    error: result.functionError !== undefined,
    provisioned,
    // On demand although the invoked version or alias has provisioned concurrency: all of it was busy.
    spillover: !provisioned && qualifier !== undefined && deps.provisioner.get(functionName, qualifier) !== undefined,
  });
  return result;
}
