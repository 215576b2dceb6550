/**
 * The resources one environment may use, derived from its function's configuration. Lambda
 * gives CPU in proportion to memory: 1,769 MB is one vCPU.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
import type { FunctionSpec } from './types.js';

/** Memory at which a function gets one full vCPU. */
export const MB_PER_VCPU = 1769;

/** Lambda's limit on processes and threads per execution environment. */
export const MAX_PROCESSES = 1024;

/** What a sandboxing launcher enforces for one environment. */
export interface ResourceLimits {
  /** Memory limit (MemorySize). */
  memoryMb: number;
  /** Size of the private /tmp (EphemeralStorage). */
  tmpMb: number;
  /** Processes and threads. */
  pids: number;
  /** Share of one vCPU (MemorySize / 1769), for proportional CPU weights. */
  vcpus: number;
}

/** The limits of an environment for `spec`. */
export function limitsOf(spec: Pick<FunctionSpec, 'memorySize' | 'ephemeralStorage'>): ResourceLimits {
  return {
    memoryMb: spec.memorySize,
    tmpMb: spec.ephemeralStorage,
    pids: MAX_PROCESSES,
    vcpus: spec.memorySize / MB_PER_VCPU,
  };
}
