import { describe, expect, it } from 'vitest';
import { buildLayerStatement } from './layer-statement.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:layer:deps:1';

describe('buildLayerStatement', () => {
  it('grants an account as its root principal', () => {
    expect(buildLayerStatement({ StatementId: 'x', Action: 'lambda:GetLayerVersion', Principal: '210987654321' }, ARN)).toEqual({
      Sid: 'x',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: 'lambda:GetLayerVersion',
      Resource: ARN,
    });
  });

  it('grants everyone, or an organization through a condition', () => {
    const everyone = buildLayerStatement({ StatementId: 'o', Action: 'lambda:GetLayerVersion', Principal: '*', OrganizationId: 'o-t194hfs8cz' }, ARN);
    expect(everyone).toMatchObject({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-t194hfs8cz' } } });
    expect(Object.keys(everyone)).toEqual(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
  });

  it('keeps an account root ARN as given', () => {
    expect(buildLayerStatement({ StatementId: 'r', Action: 'lambda:GetLayerVersion', Principal: 'arn:aws:iam::210987654321:root' }, ARN).Principal).toEqual({
      AWS: 'arn:aws:iam::210987654321:root',
    });
  });
});
