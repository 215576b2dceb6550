import { describe, expect, it } from 'vitest';
import { newSpanId, newTraceRandom } from './trace-ids.js';

describe('trace ids', () => {
  it('makes distinct lowercase hex ids of the right length, across pool refills', () => {
    const spans = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newSpanId();
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(id).not.toBe('0000000000000000');
      spans.add(id);
    }
    expect(spans.size).toBe(2000);
    const roots = new Set<string>();
    for (let i = 0; i < 1000; i++) roots.add(newTraceRandom());
    expect(roots.size).toBe(1000);
    for (const r of roots) expect(r).toMatch(/^[0-9a-f]{24}$/);
  });
});
