/**
 * How many stem cells (pre-started, not yet bound sandboxed runtimes, decision 0009) to keep per
 * runtime family, as pure functions of recent cold-start demand and the time, in the manner of
 * `pool-policy.ts`. The holder records each cold start, asks for the target, and applies the
 * plan: start cells up to it, stop the oldest idle ones above it.
 */

/** Tuning, read once at the composition root. */
export interface StemCellPolicyOptions {
  /** How far back demand is remembered (default 5 min). */
  windowMs: number;
  /** About how long a cell takes to start: cold starts closer than this form one burst (default 1 s). */
  burstSpanMs: number;
  /** Most cells per family, whatever the demand (default 4). */
  maxPerFamily: number;
  /** Most cold starts remembered per family, so history stays bounded (default 256). */
  maxHistory: number;
}

export const DEFAULT_STEM_CELL_POLICY: StemCellPolicyOptions = {
  windowMs: 5 * 60_000,
  burstSpanMs: 1_000,
  maxPerFamily: 4,
  maxHistory: 256,
};

/** Adds a cold start at `now` (monotonic ms) to a family's history, forgetting what is too old. */
export function recordColdStart(history: readonly number[], now: number, o: StemCellPolicyOptions = DEFAULT_STEM_CELL_POLICY): number[] {
  const kept = history.filter((t) => now - t < o.windowMs);
  kept.push(now);
  return kept.length > o.maxHistory ? kept.slice(kept.length - o.maxHistory) : kept;
}

/**
 * Cells to hold for one family: the largest burst of cold starts seen within the window (the most
 * that fell inside any `burstSpanMs`), so the next burst like it is absorbed while cells refill;
 * at least one while there was any demand; none when the family has been quiet for the window;
 * never more than `maxPerFamily`.
 */
export function stemCellTarget(history: readonly number[], now: number, o: StemCellPolicyOptions = DEFAULT_STEM_CELL_POLICY): number {
  const recent = history.filter((t) => now - t < o.windowMs && t <= now).sort((a, b) => a - b);
  let burst = 0;
  for (let start = 0, end = 0; end < recent.length; end++) {
    while (recent[end]! - recent[start]! >= o.burstSpanMs) start++;
    burst = Math.max(burst, end - start + 1);
  }
  return Math.min(o.maxPerFamily, burst);
}

/** What the holder knows about one unbound cell. */
export interface StemCellSlot {
  /** Monotonic time the cell became ready (its runtime waits for the release message). */
  readonly readyAt: number;
}

/** The holder's next move for one family: cells to start, and unbound cells to stop (oldest first). */
export interface StemCellPlan<T> {
  start: number;
  stop: T[];
}

/**
 * Closes the gap between the unbound cells held (`ready` plus `starting`) and the target. Cells
 * above the target are stopped oldest first; a cell that has been bound is never in `ready`, as
 * it is never given back.
 */
export function planStemCells<T extends StemCellSlot>(ready: readonly T[], starting: number, target: number): StemCellPlan<T> {
  const held = ready.length + starting;
  if (held <= target) return { start: target - held, stop: [] };
  const excess = Math.min(ready.length, held - target);
  return { start: 0, stop: [...ready].sort((a, b) => a.readyAt - b.readyAt).slice(0, excess) };
}

/** Takes the newest ready cell for a bind (its runtime has waited least), or undefined. */
export function pickStemCell<T extends StemCellSlot>(ready: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of ready) if (!best || c.readyAt > best.readyAt) best = c;
  return best;
}
