/**
 * Aliases: named pointers at a version, optionally splitting invokes with one additional
 * version (RoutingConfig.AdditionalVersionWeights). The model checks the name (not all digits)
 * and weight ranges at the edge; the checks here are Lambda's own, made before any write.
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html
 */
import { randomUUID } from 'node:crypto';
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { AliasRecord } from '../store/function-store.js';
import { functionArn } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from '../functions/function-access.js';
import type { FunctionState } from '../functions/function-cache.js';
import { decodeMarker, encodeMarker } from '../functions/list-marker.js';
import { forgetFunctionUrls } from '../urls/function-url-operations.js';

const MAX_LIST_ITEMS = 50;

export function aliasOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  const { scope, store } = deps;
  const aliasArn = (functionName: string, name: string) => functionArn(scope, functionName, name);

  const toAliasConfiguration = (a: AliasRecord) => ({
    AliasArn: aliasArn(a.functionName, a.name),
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    ...(Object.keys(a.additionalVersionWeights).length > 0
      ? { RoutingConfig: { AdditionalVersionWeights: { ...a.additionalVersionWeights } } }
      : {}),
    RevisionId: a.revisionId,
  });

  /** The version an alias may point at must exist; `$LATEST` always does. */
  function checkVersion(state: FunctionState, version: string): void {
    if (version !== '$LATEST' && !state.versions.has(version)) throw access.notFound(state.latest.record.name, version);
  }

  /** Lambda's rules for a routing configuration, given the alias's primary version. */
  function checkRouting(state: FunctionState, primary: string, weights: Record<string, number>): void {
    const entries = Object.entries(weights);
    if (entries.length > 1) {
      throw LambdaErrors.invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
    }
    for (const [version] of entries) {
      if (version === primary) {
        throw LambdaErrors.invalidParameter(
          `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
        );
      }
      if (primary === '$LATEST') {
        throw LambdaErrors.invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
      }
      checkVersion(state, version);
    }
  }

  async function loadAlias(functionName: string, name: string, missing: string): Promise<{ state: FunctionState; alias: AliasRecord }> {
    const state = await access.state(functionName);
    const alias = state.aliases.get(name);
    if (!alias) throw LambdaErrors.notFound(`${missing}: ${aliasArn(functionName, name)}`);
    return { state, alias };
  }

  return {
    async CreateAlias(input) {
      const functionName = access.unqualified(input.FunctionName);
      return access.exclusive(functionName, async () => {
        const state = await access.state(functionName);
        const weights: Record<string, number> = input.RoutingConfig?.AdditionalVersionWeights ?? {};
        checkVersion(state, input.FunctionVersion);
        if (state.aliases.has(input.Name)) {
          throw LambdaErrors.conflict(`Alias already exists: ${aliasArn(functionName, input.Name)}`);
        }
        checkRouting(state, input.FunctionVersion, weights);
        const alias: AliasRecord = {
          functionName,
          name: input.Name,
          functionVersion: input.FunctionVersion,
          description: input.Description ?? '',
          additionalVersionWeights: { ...weights },
          revisionId: randomUUID(),
        };
        if (!(await store.functions.createAlias(alias))) {
          throw LambdaErrors.conflict(`Alias already exists: ${aliasArn(functionName, input.Name)}`);
        }
        deps.functions.putAlias(alias);
        return toAliasConfiguration(alias);
      });
    },

    async GetAlias(input) {
      const functionName = access.unqualified(input.FunctionName);
      return toAliasConfiguration((await loadAlias(functionName, input.Name, 'Cannot find alias arn')).alias);
    },

    async ListAliases(input) {
      const functionName = access.unqualified(input.FunctionName);
      const state = await access.state(functionName);
      const all = [...state.aliases.values()]
        .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker !== undefined ? decodeMarker(input.Marker) : undefined;
      const rest = after === undefined ? all : all.filter((a) => a.name > after);
      const page = rest.slice(0, limit);
      return {
        Aliases: page.map(toAliasConfiguration),
        ...(rest.length > limit ? { NextMarker: encodeMarker(page[page.length - 1]!.name) } : {}),
      };
    },

    async UpdateAlias(input) {
      const functionName = access.unqualified(input.FunctionName);
      return access.exclusive(functionName, async () => {
        const { state, alias } = await loadAlias(functionName, input.Name, 'Alias not found');
        access.checkRevision(alias.revisionId, input.RevisionId);
        const functionVersion: string = input.FunctionVersion ?? alias.functionVersion;
        // An empty RoutingConfig (or empty weights) removes the routing; an absent one keeps it.
        const weights: Record<string, number> =
          input.RoutingConfig !== undefined ? (input.RoutingConfig.AdditionalVersionWeights ?? {}) : alias.additionalVersionWeights;
        checkVersion(state, functionVersion);
        checkRouting(state, functionVersion, weights);
        const next: AliasRecord = {
          ...alias,
          functionVersion,
          description: input.Description ?? alias.description,
          additionalVersionWeights: { ...weights },
          revisionId: randomUUID(),
        };
        if (!(await store.functions.replaceAlias(next, alias.revisionId))) {
          throw LambdaErrors.preconditionFailed(
            'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
          );
        }
        deps.functions.putAlias(next);
        return toAliasConfiguration(next);
      });
    },

    async DeleteAlias(input) {
      const functionName = access.unqualified(input.FunctionName);
      return access.exclusive(functionName, async () => {
        await access.state(functionName);
        // Deleting an alias that does not exist succeeds, as Lambda's does (its model lists no 404).
        await store.functions.deleteAlias(functionName, input.Name);
        deps.functions.removeAlias(functionName, input.Name);
        await forgetFunctionUrls(deps, functionName, input.Name);
        return {};
      });
    },
  };
}
