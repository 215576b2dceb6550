import { describe, expect, it } from 'vitest';
import { DEFAULT_STEM_CELL_POLICY as O, pickStemCell, planStemCells, recordColdStart, stemCellTarget } from './stem-cell-policy.js';

const MIN = 60_000;

describe('recordColdStart', () => {
  it('forgets cold starts older than the window and keeps the history bounded', () => {
    expect(recordColdStart([0, 1 * MIN, 4 * MIN], 5 * MIN + 1)).toEqual([1 * MIN, 4 * MIN, 5 * MIN + 1]);
    let h: number[] = [];
    for (let t = 0; t < 1000; t++) h = recordColdStart(h, t);
    expect(h).toHaveLength(O.maxHistory);
    expect(h.at(-1)).toBe(999);
  });
});

describe('stemCellTarget', () => {
  it('holds nothing for a family with no demand, or only demand older than the window', () => {
    expect(stemCellTarget([], 0)).toBe(0);
    expect(stemCellTarget([0, 10], 5 * MIN + 10)).toBe(0);
  });

  it('holds one for sparse demand', () => {
    expect(stemCellTarget([0, 30_000, 90_000], 2 * MIN)).toBe(1);
  });

  it('holds as many as the largest burst within the window', () => {
    // Three cold starts inside one second, then single ones.
    expect(stemCellTarget([0, 200, 900, 20_000, 40_000], 1 * MIN)).toBe(3);
    // The same burst, seen as it ages out of the window.
    expect(stemCellTarget([0, 200, 900, 20_000], 5 * MIN + 100)).toBe(2);
  });

  it('never exceeds the per-family cap', () => {
    const burst = Array.from({ length: 50 }, (_, i) => i);
    expect(stemCellTarget(burst, 100)).toBe(O.maxPerFamily);
  });

  it('ignores times in the future (a clock handed in out of order)', () => {
    expect(stemCellTarget([10_000], 0)).toBe(0);
  });
});

describe('planStemCells', () => {
  const cell = (name: string, readyAt: number) => ({ name, readyAt });

  it('starts cells up to the target, counting those already starting', () => {
    expect(planStemCells([cell('a', 1)], 1, 4)).toEqual({ start: 2, stop: [] });
    expect(planStemCells([], 0, 0)).toEqual({ start: 0, stop: [] });
  });

  it('stops the oldest ready cells above the target, never one still starting', () => {
    const ready = [cell('b', 2), cell('a', 1), cell('c', 3)];
    expect(planStemCells(ready, 0, 1).stop.map((c) => c.name)).toEqual(['a', 'b']);
    expect(planStemCells([cell('a', 1)], 3, 0).stop.map((c) => c.name)).toEqual(['a']);
  });
});

describe('pickStemCell', () => {
  it('binds the newest ready cell, or none', () => {
    expect(pickStemCell([])).toBeUndefined();
    expect(pickStemCell([{ name: 'a', readyAt: 1 }, { name: 'b', readyAt: 5 }, { name: 'c', readyAt: 3 }])?.name).toBe('b');
  });
});
