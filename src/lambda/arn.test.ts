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
  });

  it('answers an ARN of another region or account as not found, never as this scope’s function', () => {
    expect(() => parseFunctionRef('arn:aws:lambda:eu-west-1:000000000000:function:fn', p)).toThrow(
      expect.objectContaining({ code: 'ResourceNotFoundException', status: 404, message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')" }),
    );
    expect(() => parseFunctionRef('arn:aws:lambda:us-east-1:111111111111:function:fn', p)).toThrow(
      expect.objectContaining({ code: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:fn' }),
    );
    expect(() => parseFunctionRef('111111111111:function:fn:live', p)).toThrow(expect.objectContaining({ code: 'ResourceNotFoundException' }));
  });

  it('checks that ARN and Qualifier agree', () => {
    expect(resolveQualifier({ name: 'fn', qualifier: '1' }, undefined)).toBe('1');
    expect(resolveQualifier({ name: 'fn' }, '2')).toBe('2');
    expect(() => resolveQualifier({ name: 'fn', qualifier: '1' }, '2')).toThrow(/does not match/);
  });
});
