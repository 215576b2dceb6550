import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_RETRY_SETTINGS, expired } from './retry-policy.js';

const s = DEFAULT_RETRY_SETTINGS;
const at0 = { receivedAt: 0, attempts: 1, throttles: 0 };

describe('decide', () => {
  it('is done on success', () => {
    expect(decide('success', at0, 10, s)).toEqual({ kind: 'done' });
  });

  it('retries a function error about 1 then 2 minutes later, then gives up', () => {
    expect(decide('function-error', at0, 1000, s)).toEqual({ kind: 'retry', at: 61_000 });
    expect(decide('function-error', { ...at0, attempts: 2 }, 70_000, s)).toEqual({ kind: 'retry', at: 190_000 });
    expect(decide('function-error', { ...at0, attempts: 3 }, 200_000, s)).toEqual({ kind: 'failed', condition: 'RetriesExhausted' });
  });

  it('honours MaximumRetryAttempts 0', () => {
    expect(decide('function-error', at0, 1000, { ...s, maximumRetryAttempts: 0 })).toEqual({ kind: 'failed', condition: 'RetriesExhausted' });
  });

  it('backs off throttles without counting them as attempts, until the event is too old', () => {
    const p = { receivedAt: 0, attempts: 0, throttles: 3 };
    expect(decide('throttled', p, 1000, s)).toEqual({ kind: 'retry', at: 5000 });
    const old = { ...p, throttles: 20 };
    expect(decide('throttled', old, s.maximumEventAgeSeconds * 1000 - 1000, s)).toEqual({ kind: 'failed', condition: 'EventAgeExceeded' });
  });

  it('drops events past their maximum age', () => {
    expect(expired(at0, 59_999, { ...s, maximumEventAgeSeconds: 60 })).toBe(false);
    expect(expired(at0, 60_000, { ...s, maximumEventAgeSeconds: 60 })).toBe(true);
  });
});
