import { describe, expect, it } from 'vitest';
import { buildStatement } from './policy-statement.js';

const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';

describe('buildStatement', () => {
  it('writes a service principal with source conditions in the order Lambda shows them', () => {
    const statement = buildStatement(
      { StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::b', SourceAccount: '123456789012' },
      fn,
    );
    expect(JSON.stringify(statement)).toBe(
      '{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",' +
        `"Resource":"${fn}","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}}`,
    );
  });

  it('maps account ids, IAM ARNs and * principals; function URL conditions', () => {
    expect(buildStatement({ StatementId: 'a', Action: 'lambda:*', Principal: '111122223333' }, fn).Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
    expect(buildStatement({ StatementId: 'a', Action: '*', Principal: 'arn:aws:iam::111122223333:role/r' }, fn).Principal).toEqual({
      AWS: 'arn:aws:iam::111122223333:role/r',
    });
    const url = buildStatement({ StatementId: 'u', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }, fn);
    expect(url).toMatchObject({ Principal: '*', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } });
    expect(buildStatement({ StatementId: 'n', Action: 'lambda:GetFunction', Principal: '*' }, fn)).not.toHaveProperty('Condition');
  });

  it('refuses principals and auth types Lambda refuses', () => {
    expect(() => buildStatement({ StatementId: 'x', Action: '*', Principal: 'someone' }, fn)).toThrow(/principal was invalid/);
    expect(() => buildStatement({ StatementId: 'x', Action: '*', Principal: '*', FunctionUrlAuthType: 'OPEN' }, fn)).toThrow(/functionUrlAuthType/);
  });
});
