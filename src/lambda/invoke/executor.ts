/**
 * What the invoke path needs from the sandbox: run one invocation of a function spec, and
 * retire environments built for configurations that changed. EnvironmentPool implements it;
 * keeping the interface here stops the control plane depending on the pool's internals.
 */
import type { FunctionSpec, InvokeRequest, InvokeResult, ProvisionedSet } from '../../sandbox/types.js';

export interface Executor {
  invoke(spec: FunctionSpec, request: InvokeRequest): Promise<InvokeResult>;
  retire(predicate: (spec: FunctionSpec) => boolean): void;
  /** Keeps `count` environments of `spec` initialized ahead of invokes. */
  provision(spec: FunctionSpec, count: number): ProvisionedSet;
}
