/**
 * Function names and ARNs. Lambda accepts a function as a name (`my-fn`), a partial ARN
 * (`123456789012:function:my-fn`) or a full ARN, each optionally qualified (`:1`, `:alias`).
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html#API_GetFunction_RequestSyntax
 */
import type { Scope } from '../shared/scope.js';
import { LambdaErrors } from './lambda-errors.js';

export interface FunctionRef {
  name: string;
  /** Qualifier given inside the ARN, if any. */
  qualifier?: string;
}

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9-_]{1,128})$/;
const FULL_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const NAME_WITH_QUALIFIER = /^([^:]+):([^:]+)$/;

export function functionArn(p: Scope, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${p.region}:${p.accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** Parses what a caller passed as FunctionName; throws AWS's errors for what Lambda refuses. */
export function parseFunctionRef(input: string, p: Scope): FunctionRef {
  let name: string;
  let qualifier: string | undefined;
  let m: RegExpExecArray | null;
  if ((m = FULL_ARN.exec(input))) {
    // Lambda is regional: another region's function is not found here, whatever its name.
    if (m[2] !== p.region) throw LambdaErrors.notFound(`Functions from '${m[2]}' are not reachable in this region ('${p.region}')`);
    if (m[3] !== p.accountId) {
      throw LambdaErrors.notFound(`Function not found: ${input}`);
    }
    [name, qualifier] = [m[4]!, m[5]];
  } else if ((m = PARTIAL_ARN.exec(input))) {
    if (m[1] !== p.accountId) throw LambdaErrors.notFound(`Function not found: ${input}`);
    [name, qualifier] = [m[2]!, m[3]];
  } else if ((m = NAME_WITH_QUALIFIER.exec(input))) {
    [name, qualifier] = [m[1]!, m[2]];
  } else {
    name = input;
  }
  if (!NAME.test(name)) {
    throw LambdaErrors.validation(
      `1 validation error detected: Value '${input}' at 'functionName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) {
    throw LambdaErrors.validation(
      `1 validation error detected: Value '${qualifier}' at 'qualifier' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)',
    );
  }
  return qualifier === undefined ? { name } : { name, qualifier };
}

/**
 * Merges the qualifier from the ARN with the Qualifier parameter; Lambda refuses the two when
 * they disagree.
 */
export function resolveQualifier(ref: FunctionRef, param: string | undefined): string | undefined {
  if (ref.qualifier && param && ref.qualifier !== param) {
    throw LambdaErrors.invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return ref.qualifier ?? param;
}
