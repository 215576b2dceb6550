import { describe, expect, it } from 'vitest';
import { formatTraceHeader, newTraceRoot, otelTraceId, parseTraceHeader } from './xray-trace-header.js';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

describe('parseTraceHeader', () => {
  it("reads AWS's documented example", () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`)).toEqual({
      root: ROOT,
      parent: '53995c3f42cd8ad8',
      sampled: '1',
    });
  });

  it('keeps Lineage and other fields to pass them on', () => {
    const h = parseTraceHeader(`Self=1-67891233-12456789abcdef012345678;Root=${ROOT};Sampled=?;Lineage=a87bd80c:1|68fd508a:5;Custom=x`);
    expect(h).toEqual({
      root: ROOT,
      sampled: '?',
      lineage: 'a87bd80c:1|68fd508a:5',
      others: ['Self=1-67891233-12456789abcdef012345678', 'Custom=x'],
    });
  });

  it('is lenient about case and spaces, and keeps the first of duplicates', () => {
    expect(parseTraceHeader(` root = 1-5759E988-BD862E3FE1BE46A994272793 ; parent=53995C3F42CD8AD8; Root=1-00000000-000000000000000000000000`)).toEqual({
      root: ROOT,
      parent: '53995c3f42cd8ad8',
    });
  });

  it('has no trace without a valid Root', () => {
    expect(parseTraceHeader('Parent=53995c3f42cd8ad8;Sampled=1')).toBeUndefined();
    expect(parseTraceHeader('Root=2-5759e988-bd862e3fe1be46a994272793')).toBeUndefined();
    expect(parseTraceHeader('Root=1-5759e988-bd862e3f')).toBeUndefined();
    expect(parseTraceHeader('garbage')).toBeUndefined();
    expect(parseTraceHeader('')).toBeUndefined();
  });

  it('drops an invalid Parent or Sampled but keeps the trace', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=xyz;Sampled=yes`)).toEqual({ root: ROOT });
    expect(parseTraceHeader(`Root=${ROOT};Parent=0000000000000000`)).toEqual({ root: ROOT });
  });
});

describe('formatTraceHeader', () => {
  it('writes Root, Parent, Sampled, Lineage, then the rest', () => {
    expect(formatTraceHeader({ root: ROOT, others: ['Self=x'], lineage: 'l:1', sampled: '0', parent: '53995c3f42cd8ad8' })).toBe(
      `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0;Lineage=l:1;Self=x`,
    );
    expect(formatTraceHeader({ root: ROOT })).toBe(`Root=${ROOT}`);
  });

  it('round-trips what it parses', () => {
    const text = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1;Self=abc`;
    expect(formatTraceHeader(parseTraceHeader(text)!)).toBe(text);
  });
});

describe('trace ids', () => {
  it('makes a root from the epoch second and 24 random hex digits', () => {
    expect(newTraceRoot(0x5759e988 * 1000 + 999, 'bd862e3fe1be46a994272793')).toBe(ROOT);
    expect(newTraceRoot(5000, 'a'.repeat(24))).toBe(`1-00000005-${'a'.repeat(24)}`);
  });

  it('maps an X-Ray root to the OpenTelemetry trace id', () => {
    expect(otelTraceId(ROOT)).toBe('5759e988bd862e3fe1be46a994272793');
  });
});
