/**
 * What a qualifier names: `$LATEST`, a published version (digits) or an alias (anything else
 * that fits the pattern; Lambda forbids alias names made only of digits). Resolution reads the
 * in-memory FunctionState only, so the invoke path never touches the store.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
 */
import { LambdaErrors } from '../lambda-errors.js';
import type { AliasRecord } from '../store/function-store.js';
import { chooseAliasVersion } from './alias-routing.js';
import type { Scope } from '../../shared/scope.js';
import { functionArn } from '../arn.js';
import type { FunctionState, ResolvedFunction } from '../functions/function-cache.js';

const VERSION_NUMBER = /^[0-9]+$/;

/** Whether a qualifier is a published version number. */
export function isVersionNumber(qualifier: string): boolean {
  return VERSION_NUMBER.test(qualifier);
}

/** Whether a qualifier names an alias rather than a version. */
export function isAliasName(qualifier: string): boolean {
  return qualifier !== '$LATEST' && !isVersionNumber(qualifier);
}

export interface Resolution {
  resolved: ResolvedFunction;
  /** The alias the qualifier named, if it named one. */
  alias?: AliasRecord;
}

/**
 * The version a qualifier names. An alias resolves to its FunctionVersion, or, when `random` is
 * given (Invoke), to the version its routing configuration picks for that draw.
 */
export function resolveQualifier(
  state: FunctionState,
  qualifier: string | undefined,
  scope: Scope,
  random?: number,
): Resolution {
  const name = state.latest.record.name;
  const notFound = () => LambdaErrors.notFound(`Function not found: ${functionArn(scope, name, qualifier)}`);
  if (qualifier === undefined || qualifier === '$LATEST') return { resolved: state.latest };
  if (isVersionNumber(qualifier)) {
    const resolved = state.versions.get(qualifier);
    if (!resolved) throw notFound();
    return { resolved };
  }
  const alias = state.aliases.get(qualifier);
  if (!alias) throw notFound();
  const version = random === undefined ? alias.functionVersion : chooseAliasVersion(alias, random);
  const resolved = version === '$LATEST' ? state.latest : state.versions.get(version);
  // An alias only ever points at versions that exist: deleting a version an alias uses is refused.
  if (!resolved) throw notFound();
  return { resolved, alias };
}
