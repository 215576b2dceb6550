import { describe, expect, it } from 'vitest';
import { destinationRecord } from './destination-record.js';

describe('destinationRecord', () => {
  it('has the shape AWS sends on failure', () => {
    const record = destinationRecord({
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      requestPayload: Buffer.from('{"a":1}'),
      lastAttempt: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"x"}') },
      now: Date.UTC(2026, 10, 27),
    });
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2026-11-27T00:00:00.000Z',
      requestContext: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'x' },
    });
  });

  it('leaves the response out when the function never ran', () => {
    const record = destinationRecord({
      requestId: 'r',
      functionArn: 'arn',
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 0,
      requestPayload: Buffer.from('not json'),
      now: 0,
    });
    expect(record.requestPayload).toBe('not json');
    expect(record).not.toHaveProperty('responseContext');
  });
});
