import { describe, expect, it } from 'vitest';
import { functionArn, parseFunctionRef, resolveQualifier } from './arn.js';

const p = { region: 'us-east-1', accountId: '000000000000' };

describe('parseFunctionRef', () => {
  it('accepts names, partial and full ARNs, with qualifiers', () => {
    expect(parseFunctionRef('fn', p)).toEqual({ name: 'fn' });
    expect(parseFunctionRef('fn:$LATEST', p)).toEqual({ name: 'fn', qualifier: '$LATEST' });
    expect(parseFunctionRef('000000000000:function:fn', p)).toEqual({ name: 'fn' });
    expect(parseFunctionRef('000000000000:function:fn:3', p)).toEqual({ name: 'fn', qualifier: '3' });
    expect(parseFunctionRef(functionArn(p, 'fn'), p)).toEqual({ name: 'fn' });
    expect(parseFunctionRef(functionArn(p, 'fn', 'live'), p)).toEqual({ name: 'fn', qualifier: 'live' });
  });

  it('refuses names Lambda refuses', () => {
    expect(() => parseFunctionRef('bad name', p)).toThrow(/functionName/);
    expect(() => parseFunctionRef('x'.repeat(65), p)).toThrow(/functionName/);
    expect(() => parseFunctionRef('arn:aws:lambda:eu-west-1:000000000000:function:fn', p)).toThrow(/Region/);
    expect(() => parseFunctionRef('arn:aws:lambda:us-east-1:111111111111:function:fn', p)).toThrow(/not found/);
  });

  it('checks that ARN and Qualifier agree', () => {
    expect(resolveQualifier({ name: 'fn', qualifier: '1' }, undefined)).toBe('1');
    expect(resolveQualifier({ name: 'fn' }, '2')).toBe('2');
    expect(() => resolveQualifier({ name: 'fn', qualifier: '1' }, '2')).toThrow(/does not match/);
  });
});
