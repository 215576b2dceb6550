import { describe, expect, it } from 'vitest';
import { decideTrace } from './trace-decision.js';
import type { TraceSampler } from './xray-sampler.js';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const NOW = 0x65000000 * 1000;

/** A sampler that answers `answer` and counts how often it was asked. */
function sampler(answer: boolean): TraceSampler & { asked: string[] } {
  const asked: string[] = [];
  return { asked, sample: (key) => (asked.push(key), answer) };
}

describe('decideTrace', () => {
  it('keeps an upstream decision in both modes, without asking the sampler', () => {
    for (const mode of ['Active', 'PassThrough'] as const) {
      const s = sampler(false);
      const yes = decideTrace(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`, mode, NOW, s, 'f');
      expect(yes).toMatchObject({ sampled: true, value: `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1` });
      const no = decideTrace(`Root=${ROOT};Sampled=0`, mode, NOW, sampler(true), 'f');
      expect(no).toMatchObject({ sampled: false, value: `Root=${ROOT};Sampled=0` });
      expect(s.asked).toEqual([]);
    }
  });

  it('Active decides by the sampler when upstream did not (no Sampled, or Sampled=?)', () => {
    const s = sampler(true);
    expect(decideTrace(`Root=${ROOT};Parent=53995c3f42cd8ad8`, 'Active', NOW, s, 'f')).toMatchObject({
      sampled: true,
      value: `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
    });
    expect(decideTrace(`Root=${ROOT};Sampled=?`, 'Active', NOW, sampler(false), 'f').value).toBe(`Root=${ROOT};Sampled=0`);
    expect(s.asked).toEqual(['f']);
  });

  it('PassThrough does not sample what upstream left undecided', () => {
    const s = sampler(true);
    expect(decideTrace(`Root=${ROOT};Sampled=?`, 'PassThrough', NOW, s, 'f')).toMatchObject({ sampled: false, value: `Root=${ROOT};Sampled=0` });
    expect(s.asked).toEqual([]);
  });

  it('starts a new trace without a header, or with one that has no valid Root', () => {
    for (const incoming of [undefined, '', 'Sampled=1', ['garbage']]) {
      const d = decideTrace(incoming, 'PassThrough', NOW, sampler(true), 'f');
      expect(d.sampled).toBe(false);
      expect(d.value).toMatch(/^Root=1-65000000-[0-9a-f]{24};Sampled=0$/);
    }
    const active = decideTrace(undefined, 'Active', NOW, sampler(true), 'f');
    expect(active.value).toMatch(/^Root=1-65000000-[0-9a-f]{24};Sampled=1$/);
    expect(active.header.parent).toBeUndefined();
  });

  it('passes Lineage and other fields on', () => {
    const d = decideTrace(`Root=${ROOT};Lineage=a87bd80c:1;Self=x`, 'PassThrough', NOW, sampler(true), 'f');
    expect(d.value).toBe(`Root=${ROOT};Sampled=0;Lineage=a87bd80c:1;Self=x`);
  });
});
