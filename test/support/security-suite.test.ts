import { describe, expect, it } from 'vitest';
import { onCi, securityGate } from './security-suite.js';

describe('security suite gate', () => {
  it('runs a suite the host can run, under its own name, on CI or not', () => {
    expect(securityGate('sandbox escapes', undefined, true)).toEqual({ mode: 'run', title: 'sandbox escapes' });
    expect(securityGate('sandbox escapes', undefined, false)).toEqual({ mode: 'run', title: 'sandbox escapes' });
  });

  it('fails on CI with the probe’s reason', () => {
    expect(securityGate('sandbox escapes', 'bwrap is not installed', true)).toEqual({
      mode: 'fail',
      title: 'sandbox escapes',
      reason: 'cannot run on this CI host: bwrap is not installed',
    });
  });

  it('skips elsewhere with the reason in the title', () => {
    expect(securityGate('sandbox escapes', 'bwrap is not installed', false)).toEqual({
      mode: 'skip',
      title: 'sandbox escapes [skipped: bwrap is not installed]',
      reason: 'bwrap is not installed',
    });
  });

  it('takes CI to be `true` or `1`, as CI services and .ci/run set it', () => {
    expect(onCi({ CI: 'true' })).toBe(true);
    expect(onCi({ CI: '1' })).toBe(true);
    expect(onCi({ CI: 'TRUE' })).toBe(true);
    expect(onCi({})).toBe(false);
    expect(onCi({ CI: 'false' })).toBe(false);
    expect(onCi({ CI: '0' })).toBe(false);
  });
});
