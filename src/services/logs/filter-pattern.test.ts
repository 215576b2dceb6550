import { describe, expect, it } from 'vitest';
import { compileFilterPattern, requiredText } from './filter-pattern.js';

const matches = (pattern: string, message: string) => compileFilterPattern(pattern)(message);

describe('term filter patterns', () => {
  it('matches everything when empty', () => {
    expect(compileFilterPattern(undefined)('x')).toBe(true);
    expect(matches('  ', 'x')).toBe(true);
  });
  it('requires every term, case-sensitively', () => {
    expect(matches('ERROR timeout', 'ERROR: timeout after 3s')).toBe(true);
    expect(matches('ERROR timeout', 'ERROR: done')).toBe(false);
    expect(matches('ERROR timeout', 'error timeout')).toBe(false);
  });
  it('keeps quoted phrases whole', () => {
    expect(matches('"Task timed out"', '2026 Task timed out after 1.00 seconds')).toBe(true);
    expect(matches('"Task timed out"', 'Task was timed out')).toBe(false);
  });
  it('excludes -terms and accepts any ?term', () => {
    expect(matches('ERROR -Exiting', 'ERROR bad')).toBe(true);
    expect(matches('ERROR -Exiting', 'ERROR Exiting now')).toBe(false);
    expect(matches('?ERROR ?WARN', 'WARN disk')).toBe(true);
    expect(matches('?ERROR ?WARN', 'INFO fine')).toBe(false);
  });
  it('refuses unbalanced quotes', () => {
    expect(() => compileFilterPattern('"open')).toThrow(/unbalanced/);
  });
});

describe('requiredText', () => {
  it('hands the store exactly the substrings a term pattern tests', () => {
    expect(requiredText('ERROR "timed out" -Exiting ?disk ?net')).toEqual({ all: ['ERROR', 'timed out'], none: ['Exiting'], any: ['disk', 'net'] });
    expect(requiredText('"say \\"hi\\""')).toEqual({ all: ['say "hi"'], none: [], any: [] });
  });
  it('asks only for a `{` under a JSON pattern, and nothing without a pattern', () => {
    expect(requiredText('{ $.level = "ERROR" }')).toEqual({ all: ['{'], none: [], any: [] });
    expect(requiredText(undefined)).toBeUndefined();
    expect(requiredText('  ')).toBeUndefined();
  });
});

describe('JSON filter patterns', () => {
  const line = JSON.stringify({ level: 'ERROR', latency: 250, user: { id: 'u-42', admin: false }, tags: ['a', 'b'], gone: null });
  it('compares strings, with wildcards', () => {
    expect(matches('{ $.level = "ERROR" }', line)).toBe(true);
    expect(matches('{ $.level = ERROR }', line)).toBe(true);
    expect(matches('{ $.level != "ERROR" }', line)).toBe(false);
    expect(matches('{ $.user.id = "u-*" }', line)).toBe(true);
    expect(matches('{ $.tags[1] = "b" }', line)).toBe(true);
  });
  it('compares numbers', () => {
    expect(matches('{ $.latency > 100 }', line)).toBe(true);
    expect(matches('{ $.latency <= 100 }', line)).toBe(false);
    expect(matches('{ $.latency = 250 }', line)).toBe(true);
    expect(matches('{ $.level > 1 }', line)).toBe(false);
  });
  it('combines with && || and parentheses', () => {
    expect(matches('{ ($.level = "ERROR") && ($.latency > 300) }', line)).toBe(false);
    expect(matches('{ ($.level = "ERROR" && $.latency > 300) || $.user.id = "u-42" }', line)).toBe(true);
  });
  it('knows IS TRUE/FALSE/NULL and NOT EXISTS', () => {
    expect(matches('{ $.user.admin IS FALSE }', line)).toBe(true);
    expect(matches('{ $.gone IS NULL }', line)).toBe(true);
    expect(matches('{ $.missing NOT EXISTS }', line)).toBe(true);
    expect(matches('{ $.level NOT EXISTS }', line)).toBe(false);
  });
  it('never matches a message that is not JSON', () => {
    expect(matches('{ $.level = "ERROR" }', 'ERROR plain text')).toBe(false);
  });
  it('refuses malformed patterns', () => {
    expect(() => compileFilterPattern('{ $.level = }')).toThrow(/Invalid filter pattern/);
    expect(() => compileFilterPattern('{ level = "x" }')).toThrow(/selector/);
    expect(() => compileFilterPattern('{ $.level = "x"')).toThrow(/end with/);
    expect(() => compileFilterPattern('{ ($.a = 1 }')).toThrow(/ends too early/);
    expect(() => compileFilterPattern('{ $.a > "x" }')).toThrow(/strings compare/);
  });
});
