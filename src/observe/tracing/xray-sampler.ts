/**
 * Sampling for Active tracing when no upstream service decided: X-Ray's default rule, the first
 * request each second and 5% of any additional requests, kept per function (each function is its
 * own service in X-Ray). The decision is a pure function of (reservoir, now, a random draw); the
 * sampler only keeps each function's reservoir.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-sampling
 */
import type { Clock } from '../../shared/clock.js';

/** A reservoir of sampled requests per second, then a fixed rate of the rest. */
export interface SamplingRule {
  reservoirPerSecond: number;
  /** Share of requests past the reservoir that are sampled, 0..1. */
  fixedRate: number;
}

/** X-Ray's default rule. */
export const DEFAULT_SAMPLING_RULE: SamplingRule = { reservoirPerSecond: 1, fixedRate: 0.05 };

/** What the reservoir handed out in one second. */
export interface Reservoir {
  /** Epoch second. */
  second: number;
  taken: number;
}

/** Decides one request: from the reservoir while it lasts this second, else by the fixed rate (`draw` uniform in [0, 1)). */
export function sampleRequest(
  reservoir: Reservoir | undefined,
  nowMs: number,
  draw: number,
  rule: SamplingRule = DEFAULT_SAMPLING_RULE,
): { sampled: boolean; reservoir: Reservoir } {
  const second = Math.floor(nowMs / 1000);
  const current = reservoir !== undefined && reservoir.second === second ? reservoir : { second, taken: 0 };
  if (current.taken < rule.reservoirPerSecond) return { sampled: true, reservoir: { second, taken: current.taken + 1 } };
  return { sampled: draw < rule.fixedRate, reservoir: current };
}

/** Makes the sampling decision an upstream service did not make. */
export interface TraceSampler {
  /** Whether to sample one request to `key` (a function name). */
  sample(key: string): boolean;
}

/** The default rule with one reservoir per function. */
export class XRaySampler implements TraceSampler {
  private readonly reservoirs = new Map<string, Reservoir>();

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
    private readonly rule: SamplingRule = DEFAULT_SAMPLING_RULE,
  ) {}

  sample(key: string): boolean {
    const { sampled, reservoir } = sampleRequest(this.reservoirs.get(key), this.clock.now(), this.random(), this.rule);
    this.reservoirs.set(key, reservoir);
    return sampled;
  }
}
