/**
 * Provisioned concurrency: Put/Get/Delete/ListProvisionedConcurrencyConfig(s) on a published
 * version or alias. Putting starts that many environments initialized ahead of invokes
 * (IN_PROGRESS, then READY or FAILED with a reason); invokes of that version use them first.
 * https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { ProvisionedConfigRecord } from '../store/provisioned-config-store.js';
import { functionArn } from '../arn.js';
import { MIN_UNRESERVED } from './concurrency-policy.js';
import type { Scope } from '../../shared/scope.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from '../functions/function-access.js';
import { lambdaTimestamp } from '../functions/function-configuration.js';
import { pageAfter } from '../functions/list-marker.js';
import { resolveQualifier } from '../versions/qualifier.js';

const MAX_LIST_ITEMS = 50;

export function provisionedConcurrencyOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  const { scope, store, provisioner } = deps;

  const notFound = () =>
    LambdaErrors.provisionedConfigNotFound('No Provisioned Concurrency Config found for this function');

  /** The version or alias named, which must exist and be published. */
  async function target(functionName: string, qualifierParam: string | undefined) {
    const t = access.target(functionName, qualifierParam);
    if (t.qualifier === undefined || t.qualifier === '$LATEST') {
      throw LambdaErrors.invalidParameter('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
    }
    const state = await access.state(t.name, t.qualifier);
    const { resolved, alias } = resolveQualifier(state, t.qualifier, scope);
    return { name: t.name, qualifier: t.qualifier, resolved, alias, state };
  }

  function shape(c: ProvisionedConfigRecord) {
    const set = provisioner.get(c.functionName, c.qualifier);
    const status = set?.status() ?? { status: 'IN_PROGRESS' as const };
    return {
      RequestedProvisionedConcurrentExecutions: c.requested,
      AvailableProvisionedConcurrentExecutions: set?.available() ?? 0,
      AllocatedProvisionedConcurrentExecutions: set?.allocated() ?? 0,
      Status: status.status,
      ...(status.reason ? { StatusReason: status.reason } : {}),
      LastModified: lambdaTimestamp(c.lastModified),
    };
  }

  return {
    async PutProvisionedConcurrencyConfig(input) {
      const { name, qualifier, resolved, alias, state } = await target(input.FunctionName, input.Qualifier);
      const requested: number = input.ProvisionedConcurrentExecutions;
      if (alias && Object.keys(alias.additionalVersionWeights).length > 0) {
        throw LambdaErrors.conflict('Alias with weights can not be used with Provisioned Concurrency');
      }
      return access.exclusive(name, async () => {
        const others = (await store.provisionedConfigs.list(name)).filter((c) => c.qualifier !== qualifier);
        const forFunction = others.reduce((n, c) => n + c.requested, 0) + requested;
        const reserved = state.latest.record.reservedConcurrency;
        if (reserved !== undefined && forFunction > reserved) {
          throw LambdaErrors.invalidParameter(
            `Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function: ${reserved}`,
          );
        }
        const previous = await store.provisionedConfigs.get(name, qualifier);
        const accountTotal = provisioner.total() - (previous?.requested ?? 0) + requested;
        if (accountTotal > deps.concurrency.accountLimit - MIN_UNRESERVED) {
          throw LambdaErrors.invalidParameter(
            `Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${deps.concurrency.accountLimit - MIN_UNRESERVED}].`,
          );
        }
        const config: ProvisionedConfigRecord = { functionName: name, qualifier, requested, lastModified: deps.clock.now() };
        await store.provisionedConfigs.put(config);
        provisioner.apply(name, qualifier, resolved.spec, requested);
        return shape(config);
      });
    },

    async GetProvisionedConcurrencyConfig(input) {
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      const config = await store.provisionedConfigs.get(name, qualifier);
      if (!config) throw notFound();
      return shape(config);
    },

    async DeleteProvisionedConcurrencyConfig(input) {
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      return access.exclusive(name, async () => {
        if (!(await store.provisionedConfigs.delete(name, qualifier))) throw notFound();
        provisioner.remove(name, qualifier);
        return {};
      });
    },

    async ListProvisionedConcurrencyConfigs(input) {
      const name = access.unqualified(input.FunctionName);
      await access.state(name);
      const all = await store.provisionedConfigs.list(name);
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const { page, nextMarker } = pageAfter(all, (c) => c.qualifier, input.Marker, limit);
      return {
        ProvisionedConcurrencyConfigs: page.map((c) => ({ FunctionArn: functionArn(scope, name, c.qualifier), ...shape(c) })),
        ...(nextMarker ? { NextMarker: nextMarker } : {}),
      };
    },
  };
}

/** Provisions every stored configuration again (at start-up, once the server listens). */
export async function restoreProvisioned(configs: Iterable<ProvisionedConfigRecord & Scope>, regions: { at(scope: Scope): LambdaDeps }): Promise<void> {
  for (const c of configs) {
    const deps = regions.at(c);
    const state = await deps.functions.get(c.functionName);
    if (!state) continue;
    try {
      const { resolved } = resolveQualifier(state, c.qualifier, deps.scope);
      deps.provisioner.apply(c.functionName, c.qualifier, resolved.spec, c.requested);
    } catch (err) {
      deps.logger.warn('provisioned concurrency not restored', { function: c.functionName, qualifier: c.qualifier, error: String(err) });
    }
  }
}
