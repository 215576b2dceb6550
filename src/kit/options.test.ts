import { describe, expect, it } from 'vitest';
import { choiceOption, flagKey, integerOption, resolveOptions } from './options.js';

const specs = {
  concurrencyLimit: integerOption({ flag: '--concurrency-limit <n>', env: 'NIMBUS_CONCURRENCY_LIMIT', description: 'd', default: 1000, min: 100 }),
  retryBaseMs: integerOption({ env: 'NIMBUS_RETRY_BASE_MS', description: 'd', default: 60_000, min: 0 }),
  egress: choiceOption({ flag: '--egress <mode>', env: 'NIMBUS_EGRESS', description: 'd', default: 'internet', choices: ['internet', 'none'] as const }),
};

describe('options', () => {
  it('takes the flag over the variable over the default', () => {
    expect(resolveOptions(specs, {}, {})).toEqual({ concurrencyLimit: 1000, retryBaseMs: 60_000, egress: 'internet' });
    expect(resolveOptions(specs, {}, { NIMBUS_CONCURRENCY_LIMIT: '200', NIMBUS_RETRY_BASE_MS: '5', NIMBUS_EGRESS: 'none' })).toEqual({
      concurrencyLimit: 200,
      retryBaseMs: 5,
      egress: 'none',
    });
    expect(resolveOptions(specs, { concurrencyLimit: '300' }, { NIMBUS_CONCURRENCY_LIMIT: '200' }).concurrencyLimit).toBe(300);
  });

  it.each([
    [{ concurrencyLimit: '99' }, {}, 'invalid --concurrency-limit: 99 is outside 100..∞'],
    [{ concurrencyLimit: '1.5' }, {}, "invalid --concurrency-limit: '1.5' is not a whole number"],
    [{}, { NIMBUS_RETRY_BASE_MS: 'soon' }, "invalid NIMBUS_RETRY_BASE_MS: 'soon' is not a whole number"],
    [{}, { NIMBUS_EGRESS: 'wifi' }, "invalid NIMBUS_EGRESS: 'wifi' is not one of internet, none"],
  ])('refuses %j %j', (flags, env, message) => {
    expect(() => resolveOptions(specs, flags, env)).toThrow(message);
  });

  it('names flags as commander does', () => {
    expect(flagKey('--scale-up-rate <n>')).toBe('scaleUpRate');
    expect(flagKey('-p, --port <port>')).toBe('port');
  });
});
