/**
 * Keeps the environments of provisioned concurrency configurations: one ProvisionedSet from
 * the pool per function version or alias, replaced when its configuration changes and
 * released when it is deleted. What was requested lives in the store; this holds what runs.
 */
import type { ProvisionedUsage } from '../../observe/lambda-metrics.js';
import type { FunctionSpec, ProvisionedSet } from '../../sandbox/types.js';
import type { Executor } from '../invoke/executor.js';

export class Provisioner {
  private readonly sets = new Map<string, ProvisionedSet>();

  constructor(private readonly executor: Executor) {}

  /** Starts `count` environments for `spec` under `functionName:qualifier`, replacing any before. */
  apply(functionName: string, qualifier: string, spec: FunctionSpec, count: number): ProvisionedSet {
    this.remove(functionName, qualifier);
    const set = this.executor.provision(spec, count);
    this.sets.set(key(functionName, qualifier), set);
    return set;
  }

  get(functionName: string, qualifier: string): ProvisionedSet | undefined {
    return this.sets.get(key(functionName, qualifier));
  }

  remove(functionName: string, qualifier: string): void {
    const k = key(functionName, qualifier);
    this.sets.get(k)?.release();
    this.sets.delete(k);
  }

  /** Releases every configuration of a deleted function. */
  removeFunction(functionName: string): void {
    for (const k of [...this.sets.keys()]) if (k.startsWith(`${functionName}:`)) this.remove(functionName, k.slice(functionName.length + 1));
  }

  /** Each configuration's allocation and in-use peak since the previous call (for the per-minute metrics). */
  usage(): ProvisionedUsage[] {
    return [...this.sets].map(([k, set]) => {
      const at = k.lastIndexOf(':');
      return {
        functionName: k.slice(0, at),
        qualifier: k.slice(at + 1),
        requested: set.requested,
        allocated: set.allocated(),
        peakInUse: set.takePeakInUse(),
      };
    });
  }

  /** Environments held provisioned now, across functions (for account checks). */
  total(): number {
    let n = 0;
    for (const set of this.sets.values()) n += set.requested;
    return n;
  }
}

const key = (functionName: string, qualifier: string) => `${functionName}:${qualifier}`;
