/**
 * Function URL configurations: Create/Get/Update/Delete/ListFunctionUrlConfig(s). One per
 * function and qualifier, where the qualifier is an alias or none (AWS refuses version numbers).
 * Writes go to the store, then to the in-memory table the URL route serves from.
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html
 */
import type { OperationContext, OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { FunctionUrlConfigRecord, FunctionUrlCors } from '../store/function-url-store.js';
import { functionArn } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from '../functions/function-access.js';
import { functionUrl, functionUrlId, type FunctionUrls } from './function-urls.js';
import { decodeMarker, encodeMarker } from '../functions/list-marker.js';
import { isVersionNumber, resolveQualifier } from '../versions/qualifier.js';

const MAX_LIST_ITEMS = 50;
const QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';
type AuthType = 'NONE' | 'AWS_IAM';
type InvokeMode = 'BUFFERED' | 'RESPONSE_STREAM';
const NOT_FOUND = 'The resource you requested does not exist.';

export function functionUrlOperations(deps: LambdaDeps, access: FunctionAccess, urls: FunctionUrls): Record<string, OperationHandler> {
  const { scope, store, clock } = deps;

  /** The function and qualifier a request names; both must exist, and the qualifier is no version. */
  async function target(functionName: string, qualifierParam: string | undefined): Promise<{ name: string; qualifier: string }> {
    const t = access.target(functionName, qualifierParam);
    if (t.qualifier !== undefined && isVersionNumber(t.qualifier)) {
      throw LambdaErrors.validation(
        `1 validation error detected: Value '${t.qualifier}' at 'qualifier' failed to satisfy constraint: ` +
          `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`,
      );
    }
    resolveQualifier(await access.state(t.name, t.qualifier), t.qualifier, scope);
    return { name: t.name, qualifier: t.qualifier ?? '$LATEST' };
  }

  const shape = (c: FunctionUrlConfigRecord, ctx: OperationContext) => ({
    FunctionUrl: functionUrl(c.urlId, scope.region, ctx.baseUrl),
    FunctionArn: functionArn(scope, c.functionName, c.qualifier === '$LATEST' ? undefined : c.qualifier),
    AuthType: c.authType,
    ...(c.cors ? { Cors: c.cors } : {}),
    CreationTime: new Date(c.creationTime).toISOString(),
    LastModifiedTime: new Date(c.lastModifiedTime).toISOString(),
    InvokeMode: c.invokeMode,
  });

  return {
    async CreateFunctionUrlConfig(input, ctx) {
      // The edge has checked AuthType and InvokeMode against the model's enums.
      const authType = input.AuthType as AuthType;
      const invokeMode = (input.InvokeMode ?? 'BUFFERED') as InvokeMode;
      const cors = input.Cors === undefined ? undefined : checkCors(input.Cors);
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      return access.exclusive(name, async () => {
        const now = clock.now();
        const config: FunctionUrlConfigRecord = {
          ...scope,
          functionName: name,
          qualifier,
          urlId: functionUrlId(scope, name, qualifier),
          authType,
          ...(cors ? { cors } : {}),
          invokeMode,
          creationTime: now,
          lastModifiedTime: now,
        };
        if (!(await store.functionUrls.create(config))) {
          throw LambdaErrors.conflict(
            `Failed to create function url config for [functionArn = ${shape(config, ctx).FunctionArn}]. ` +
              'Error message:  FunctionUrlConfig exists for this Lambda function',
          );
        }
        urls.put(config);
        const { LastModifiedTime: _, ...created } = shape(config, ctx);
        return created;
      });
    },

    async GetFunctionUrlConfig(input, ctx) {
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      const config = await store.functionUrls.get(name, qualifier);
      if (!config) throw LambdaErrors.notFound(NOT_FOUND);
      return shape(config, ctx);
    },

    async UpdateFunctionUrlConfig(input, ctx) {
      const authType = input.AuthType as AuthType | undefined;
      const invokeMode = input.InvokeMode as InvokeMode | undefined;
      const cors = input.Cors === undefined ? undefined : checkCors(input.Cors);
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      return access.exclusive(name, async () => {
        const current = await store.functionUrls.get(name, qualifier);
        if (!current) throw LambdaErrors.notFound(NOT_FOUND);
        const next: FunctionUrlConfigRecord = {
          ...current,
          ...(authType ? { authType } : {}),
          ...(invokeMode ? { invokeMode } : {}),
          ...(cors ? { cors } : {}),
          lastModifiedTime: clock.now(),
        };
        if (!(await store.functionUrls.replace(next))) throw LambdaErrors.notFound(NOT_FOUND);
        urls.put(next);
        return shape(next, ctx);
      });
    },

    async DeleteFunctionUrlConfig(input) {
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      return access.exclusive(name, async () => {
        if (!(await store.functionUrls.delete(name, qualifier))) throw LambdaErrors.notFound(NOT_FOUND);
        urls.remove(scope, name, qualifier);
        return {};
      });
    },

    async ListFunctionUrlConfigs(input, ctx) {
      const name = access.unqualified(input.FunctionName);
      await access.state(name);
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker !== undefined ? decodeMarker(input.Marker) : undefined;
      const all = (await store.functionUrls.list(name)).filter((c) => after === undefined || c.qualifier > after);
      const page = all.slice(0, limit);
      return {
        FunctionUrlConfigs: page.map((c) => shape(c, ctx)),
        ...(all.length > limit ? { NextMarker: encodeMarker(page[page.length - 1]!.qualifier) } : {}),
      };
    },
  };
}

/** Drops what a deleted function or alias had: AWS deletes the URL with its owner. */
export async function forgetFunctionUrls(deps: LambdaDeps, functionName: string, qualifier?: string): Promise<void> {
  if (qualifier === undefined) {
    await deps.store.functionUrls.deleteAll(functionName);
    deps.functionUrls.removeFunction(deps.scope, functionName);
  } else if (await deps.store.functionUrls.delete(functionName, qualifier)) {
    deps.functionUrls.remove(deps.scope, functionName, qualifier);
  }
}

const METHODS = new Set(['*', 'GET', 'PUT', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS']);

/** Keeps only the members AWS's Cors shape has; refuses methods a URL cannot be called with. */
function checkCors(cors: Record<string, unknown>): FunctionUrlCors {
  const out: FunctionUrlCors = {};
  if (cors.AllowCredentials !== undefined) out.AllowCredentials = Boolean(cors.AllowCredentials);
  if (Array.isArray(cors.AllowHeaders)) out.AllowHeaders = cors.AllowHeaders.map(String);
  if (Array.isArray(cors.AllowMethods)) {
    for (const m of cors.AllowMethods) {
      if (!METHODS.has(String(m).toUpperCase())) throw LambdaErrors.invalidParameter(`Invalid method in AllowMethods: ${String(m)}`);
    }
    out.AllowMethods = cors.AllowMethods.map(String);
  }
  if (Array.isArray(cors.AllowOrigins)) out.AllowOrigins = cors.AllowOrigins.map(String);
  if (Array.isArray(cors.ExposeHeaders)) out.ExposeHeaders = cors.ExposeHeaders.map(String);
  if (typeof cors.MaxAge === 'number') out.MaxAge = cors.MaxAge;
  return out;
}
