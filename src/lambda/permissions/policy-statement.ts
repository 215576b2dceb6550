/**
 * One statement of a function's resource-based policy, built from AddPermission's input the
 * way Lambda writes it (member order and condition keys as GetPolicy shows them).
 * https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
import { LambdaErrors } from '../lambda-errors.js';

/** AddPermission's members that shape a statement. */
export interface PermissionInput {
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  EventSourceToken?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: string;
  InvokedViaFunctionUrl?: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The policy statement for `input` on `resourceArn`; refuses a principal Lambda cannot use. */
export function buildStatement(input: PermissionInput, resourceArn: string): Record<string, unknown> {
  if (input.FunctionUrlAuthType !== undefined && input.FunctionUrlAuthType !== 'NONE' && input.FunctionUrlAuthType !== 'AWS_IAM') {
    throw LambdaErrors.validation(
      `1 validation error detected: Value '${input.FunctionUrlAuthType}' at 'functionUrlAuthType' failed to satisfy constraint: ` +
        'Member must satisfy enum value set: [NONE, AWS_IAM]',
    );
  }
  const stringEquals: Record<string, string> = {
    ...(input.FunctionUrlAuthType !== undefined ? { 'lambda:FunctionUrlAuthType': input.FunctionUrlAuthType } : {}),
    ...(input.PrincipalOrgID !== undefined ? { 'aws:PrincipalOrgID': input.PrincipalOrgID } : {}),
    ...(input.SourceAccount !== undefined ? { 'AWS:SourceAccount': input.SourceAccount } : {}),
    ...(input.EventSourceToken !== undefined ? { 'lambda:EventSourceToken': input.EventSourceToken } : {}),
  };
  const condition = {
    ...(Object.keys(stringEquals).length > 0 ? { StringEquals: stringEquals } : {}),
    ...(input.SourceArn !== undefined ? { ArnLike: { 'AWS:SourceArn': input.SourceArn } } : {}),
    ...(input.InvokedViaFunctionUrl ? { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } : {}),
  };
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: principal(input.Principal),
    Action: input.Action,
    Resource: resourceArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** Service principals, account ids (as the account's root), IAM ARNs and `*`. */
function principal(value: string): unknown {
  if (value === '*') return '*';
  if (value.endsWith('.amazonaws.com')) return { Service: value };
  if (ACCOUNT_ID.test(value)) return { AWS: `arn:aws:iam::${value}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam::/.test(value)) return { AWS: value };
  throw LambdaErrors.invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}
