/**
 * One statement of a layer version's resource-based policy, built from
 * AddLayerVersionPermission's input the way Lambda writes it: an account id becomes its root
 * principal, `*` stays `*`, and OrganizationId becomes an `aws:PrincipalOrgID` condition.
 * https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
 */

/** AddLayerVersionPermission's members that shape a statement. */
export interface LayerPermissionInput {
  StatementId: string;
  Action: string;
  Principal: string;
  OrganizationId?: string;
}

export function buildLayerStatement(input: LayerPermissionInput, layerVersionArn: string): Record<string, unknown> {
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: /^\d{12}$/.test(input.Principal) ? { AWS: `arn:aws:iam::${input.Principal}:root` } : input.Principal === '*' ? '*' : { AWS: input.Principal },
    Action: input.Action,
    Resource: layerVersionArn,
    ...(input.OrganizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': input.OrganizationId } } } : {}),
  };
}
