/**
 * What every control-plane operation needs to find and change a function: parse FunctionName
 * (+ Qualifier), load the function's in-memory state, take its write lock, write `$LATEST` with
 * compare-and-set, and check RevisionId preconditions, with Lambda's errors.
 */
import { LambdaErrors } from '../lambda-errors.js';
import type { FunctionRecord } from '../store/function-store.js';
import { functionArn, parseFunctionRef, resolveQualifier as mergeQualifier } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionState } from './function-cache.js';
import { KeyedLock } from '../keyed-lock.js';

export interface FunctionTarget {
  name: string;
  /** The qualifier from the ARN or the Qualifier parameter, when the caller gave one. */
  qualifier?: string;
}

export type FunctionAccess = ReturnType<typeof functionAccess>;

/** Builds the helpers once per service; the lock table is shared by every operation. */
export function functionAccess(deps: LambdaDeps) {
  const { scope } = deps;
  const locks = new KeyedLock();

  const notFound = (name: string, qualifier?: string) =>
    LambdaErrors.notFound(`Function not found: ${functionArn(scope, name, qualifier)}`);

  /** Parses FunctionName and merges its qualifier with the Qualifier parameter. */
  function target(functionName: string, qualifierParam?: string): FunctionTarget {
    const ref = parseFunctionRef(functionName, scope);
    const qualifier = mergeQualifier(ref, qualifierParam);
    return qualifier === undefined ? { name: ref.name } : { name: ref.name, qualifier };
  }

  /** The function's state; ResourceNotFoundException when it does not exist. */
  async function state(name: string, qualifier?: string): Promise<FunctionState> {
    const found = await deps.functions.get(name);
    if (!found) throw notFound(name, qualifier);
    return found;
  }

  /**
   * For operations that change `$LATEST` (updates, publish, aliases, tags): the function name,
   * refusing a qualifier other than `$LATEST` as not found, the way Lambda does.
   */
  function unqualified(functionName: string): string {
    const t = target(functionName);
    if (t.qualifier !== undefined && t.qualifier !== '$LATEST') throw notFound(t.name, t.qualifier);
    return t.name;
  }

  /** Runs a write with the function's lock held. */
  function exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    return locks.run(name, work);
  }

  /** Writes a new `$LATEST` with compare-and-set; a concurrent writer gets Lambda's conflict. */
  async function replaceLatest(next: FunctionRecord, previous: FunctionRecord): Promise<FunctionRecord> {
    if (!(await deps.store.functions.replace(next, previous.revisionId))) {
      throw LambdaErrors.conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(scope, next.name)}`,
      );
    }
    const resolved = deps.functions.put(next);
    // Environments are keyed by revision; a write that keeps it (tags) keeps them.
    if (next.revisionId !== previous.revisionId) {
      // Environments built for the old revision finish what they run, then go.
      deps.executor.retire((spec) => spec.functionName === next.name && spec.version === '$LATEST' && spec.key !== resolved.spec.key);
    }
    return next;
  }

  /** PreconditionFailedException when the caller's RevisionId is not the current one. */
  function checkRevision(current: string, given: string | undefined): void {
    if (given !== undefined && given !== current) {
      throw LambdaErrors.preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }

  return { notFound, target, state, unqualified, exclusive, replaceLatest, checkRevision };
}
