import { describe, expect, it } from 'vitest';
import { chooseAliasVersion } from './alias-routing.js';

describe('chooseAliasVersion', () => {
  const alias = { functionVersion: '1', additionalVersionWeights: { '2': 0.3 } };

  it('sends random draws below the weight to the additional version', () => {
    expect(chooseAliasVersion(alias, 0)).toBe('2');
    expect(chooseAliasVersion(alias, 0.2999)).toBe('2');
    expect(chooseAliasVersion(alias, 0.3)).toBe('1');
    expect(chooseAliasVersion(alias, 0.9999)).toBe('1');
  });

  it('splits a uniform sweep by weight', () => {
    const draws = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const toTwo = draws.filter((r) => chooseAliasVersion(alias, r) === '2').length;
    expect(toTwo).toBe(300);
  });

  it('honours the edges: weight 0 never, weight 1 always, no routing always the primary', () => {
    expect(chooseAliasVersion({ functionVersion: '1', additionalVersionWeights: { '2': 0 } }, 0)).toBe('1');
    expect(chooseAliasVersion({ functionVersion: '1', additionalVersionWeights: { '2': 1 } }, 0.99999)).toBe('2');
    expect(chooseAliasVersion({ functionVersion: '$LATEST', additionalVersionWeights: {} }, 0.5)).toBe('$LATEST');
  });
});
