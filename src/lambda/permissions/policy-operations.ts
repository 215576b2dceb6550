/**
 * Resource-based policies: AddPermission, RemovePermission, GetPolicy, on the function, a
 * version or an alias. Stored now, with their own RevisionId for optimistic concurrency; they
 * are enforced once callers other than the root principal exist (the identity issue).
 * https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
 */
import { randomUUID } from 'node:crypto';
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { PolicyRecord } from '../store/function-store.js';
import { functionArn } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess, FunctionTarget } from '../functions/function-access.js';
import { buildStatement } from './policy-statement.js';
import { resolveQualifier } from '../versions/qualifier.js';

const STALE_POLICY =
  'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id';

export function policyOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  const { store, scope } = deps;

  /** Checks the function and the version or alias exist; the policy's key is the qualifier. */
  async function locate(functionName: string, qualifierParam: string | undefined): Promise<FunctionTarget & { key: string }> {
    const t = access.target(functionName, qualifierParam);
    resolveQualifier(await access.state(t.name, t.qualifier), t.qualifier, scope);
    return { ...t, key: t.qualifier ?? '$LATEST' };
  }

  function checkRevision(policy: PolicyRecord | undefined, given: string | undefined): void {
    if (given !== undefined && given !== policy?.revisionId) throw LambdaErrors.preconditionFailed(STALE_POLICY);
  }

  return {
    async AddPermission(input) {
      const { name, qualifier, key } = await locate(input.FunctionName, input.Qualifier);
      if (qualifier === '$LATEST') throw LambdaErrors.invalidParameter('We currently do not support adding policies for $LATEST.');
      const statement = buildStatement(input, functionArn(scope, name, qualifier));
      return access.exclusive(name, async () => {
        const current = await store.functions.getPolicy(name, key);
        checkRevision(current, input.RevisionId);
        if (current?.statements.some((s) => s.Sid === input.StatementId)) {
          throw LambdaErrors.conflict(
            `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          );
        }
        const next: PolicyRecord = {
          functionName: name,
          qualifier: key,
          statements: [...(current?.statements ?? []), statement],
          revisionId: randomUUID(),
        };
        if (!(await store.functions.savePolicy(next, current?.revisionId ?? null))) throw LambdaErrors.preconditionFailed(STALE_POLICY);
        return { Statement: JSON.stringify(statement) };
      });
    },

    async RemovePermission(input) {
      const { name, key } = await locate(input.FunctionName, input.Qualifier);
      return access.exclusive(name, async () => {
        const current = await store.functions.getPolicy(name, key);
        if (!current) throw LambdaErrors.notFound('No policy is associated with the given resource.');
        checkRevision(current, input.RevisionId);
        const statements = current.statements.filter((s) => s.Sid !== input.StatementId);
        if (statements.length === current.statements.length) {
          throw LambdaErrors.notFound(`Statement ${input.StatementId} is not found in resource policy.`);
        }
        if (statements.length === 0) await store.functions.deletePolicy(name, key);
        else await store.functions.savePolicy({ ...current, statements, revisionId: randomUUID() }, current.revisionId);
        return {};
      });
    },

    async GetPolicy(input) {
      const { name, key } = await locate(input.FunctionName, input.Qualifier);
      const policy = await store.functions.getPolicy(name, key);
      if (!policy) throw LambdaErrors.notFound('The resource you requested does not exist.');
      return {
        Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }),
        RevisionId: policy.revisionId,
      };
    },
  };
}
