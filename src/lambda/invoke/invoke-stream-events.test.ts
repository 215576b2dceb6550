import { describe, expect, it } from 'vitest';
import { errorOf } from './invoke-stream-events.js';

describe('errorOf', () => {
  it('takes the error object’s type and message', () => {
    const payload = Buffer.from(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' }));
    expect(errorOf(payload)).toEqual({ ErrorCode: 'Sandbox.Timedout', ErrorDetails: 'Task timed out after 1.00 seconds' });
  });

  it('falls back to Unhandled and the raw body when the object is not one', () => {
    expect(errorOf(Buffer.from('not json'))).toEqual({ ErrorCode: 'Unhandled', ErrorDetails: 'not json' });
    expect(errorOf(Buffer.from('{"errorMessage":"m"}'))).toEqual({ ErrorCode: 'Unhandled', ErrorDetails: 'm' });
  });
});
