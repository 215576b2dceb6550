import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from './filter-pattern.js';

describe('compileFilterPattern', () => {
  it('matches everything when empty', () => {
    expect(compileFilterPattern(undefined)('x')).toBe(true);
    expect(compileFilterPattern('  ')('x')).toBe(true);
  });
  it('requires every term, case-sensitively', () => {
    const m = compileFilterPattern('ERROR timeout');
    expect(m('ERROR: timeout after 3s')).toBe(true);
    expect(m('ERROR: done')).toBe(false);
    expect(m('error timeout')).toBe(false);
  });
  it('keeps quoted phrases whole', () => {
    const m = compileFilterPattern('"Task timed out"');
    expect(m('2026 Task timed out after 1.00 seconds')).toBe(true);
    expect(m('Task was timed out')).toBe(false);
  });
  it('refuses what it cannot yet evaluate, and unbalanced quotes', () => {
    expect(() => compileFilterPattern('{ $.level = "ERROR" }')).toThrow(/not supported/);
    expect(() => compileFilterPattern('"open')).toThrow(/unbalanced/);
  });
});
