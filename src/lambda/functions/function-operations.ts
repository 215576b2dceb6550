/**
 * The function lifecycle operations of the Lambda API: create, read, list, update, delete,
 * each taking a qualifier where Lambda does. Each validates its whole input before it changes
 * anything, and writes with the function's lock held.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
 */
import { randomUUID } from 'node:crypto';
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { FunctionRecord } from '../store/function-store.js';
import { parseFunctionRef } from '../arn.js';
import { storeUpload } from '../code/upload.js';
import type { StoredCode } from '../code/code-store.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from './function-access.js';
import { toFunctionConfiguration } from './function-configuration.js';
import { checkCodeSize, checkLayerCount, prepareLayerTree, resolveLayers } from './function-layers.js';
import {
  LIMITS,
  checkEnvironment,
  checkMemorySize,
  checkRuntime,
  checkTimeout,
  checkUnsupported,
} from './function-rules.js';
import { listAllVersions } from './list-all-versions.js';
import { decodeMarker, encodeMarker } from './list-marker.js';
import { isAliasName, resolveQualifier } from '../versions/qualifier.js';
import { checkTagCount } from './tag-operations.js';
import { publishLatest } from '../versions/version-operations.js';
import { deadLetterOnCreate, deadLetterOnUpdate } from '../async/dead-letter-target.js';
import { forgetFunctionUrls } from '../urls/function-url-operations.js';

const MAX_LIST_ITEMS = 50;

export function functionOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  const { store, scope } = deps;

  /** Resolves FunctionName (+ Qualifier) to a version; an alias resolves to its FunctionVersion. */
  async function load(functionName: string, qualifierParam?: string) {
    const t = access.target(functionName, qualifierParam);
    const state = await access.state(t.name, t.qualifier);
    return { ...t, state, record: resolveQualifier(state, t.qualifier, scope).resolved.record };
  }

  /** Deletes one published version, refusing while an alias routes to it. */
  async function deleteVersion(name: string, version: string) {
    const state = await access.state(name);
    const found = state.versions.get(version);
    if (!found) throw access.notFound(name, version);
    const users = [...state.aliases.values()]
      .filter((a) => a.functionVersion === version || version in a.additionalVersionWeights)
      .map((a) => a.name)
      .sort();
    if (users.length > 0) {
      throw LambdaErrors.conflict(`Unable to delete version because the following aliases reference it: [${users.join(', ')}]`);
    }
    await store.functions.deleteVersion(name, version);
    deps.functions.removeVersion(name, version);
    deps.executor.retire((spec) => spec.key === found.spec.key);
    deps.logger.info('version deleted', { function: name, version });
    return { StatusCode: 204 };
  }

  const storeZip = (zip: Buffer | undefined, operation: string): Promise<StoredCode> => storeUpload(deps.code, zip, operation);

  return {
    async CreateFunction(input) {
      checkUnsupported(input);
      const name = input.FunctionName as string;
      const ref = parseFunctionRef(name, scope);
      if (ref.qualifier !== undefined) {
        throw LambdaErrors.invalidParameter('Unqualified function name or ARN expected; a qualifier is not allowed here.');
      }
      if (!input.Runtime || !input.Handler) {
        throw LambdaErrors.invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
      }
      checkRuntime(input.Runtime);
      checkTimeout(input.Timeout ?? 3);
      checkMemorySize(input.MemorySize ?? 128);
      const environment = input.Environment?.Variables ?? {};
      checkEnvironment(environment);
      const architectures = input.Architectures ?? ['x86_64'];
      const tags: Record<string, string> = input.Tags ?? {};
      checkTagCount(tags);
      const layerArns: string[] = input.Layers ?? [];
      checkLayerCount(layerArns);
      const deadLetterTargetArn = deadLetterOnCreate(input.DeadLetterConfig, scope);
      if (input.Code?.S3Bucket && !input.Code?.ZipFile) {
        throw LambdaErrors.invalidParameter('Code from S3 is not supported until Nimbus serves S3; upload the zip as ZipFile.');
      }
      return access.exclusive(ref.name, async () => {
        if (await deps.functions.get(ref.name)) {
          throw LambdaErrors.conflict(`Function already exist: ${ref.name}`);
        }
        const layers = await resolveLayers(deps, layerArns);
        const code = await storeZip(input.Code?.ZipFile, 'CreateFunction');
        checkCodeSize(code.unzippedSize, layers);
        await prepareLayerTree(deps.code, layers);
        const record: FunctionRecord = {
          name: ref.name,
          version: '$LATEST',
          revisionId: randomUUID(),
          runtime: input.Runtime,
          handler: input.Handler,
          role: input.Role,
          description: input.Description ?? '',
          timeout: input.Timeout ?? 3,
          memorySize: input.MemorySize ?? 128,
          ephemeralStorage: input.EphemeralStorage?.Size ?? 512,
          architectures,
          environment,
          codeSha256: code.sha256Hex,
          codeSize: code.size,
          lastModified: deps.clock.now(),
          packageType: 'Zip',
          tracingMode: input.TracingConfig?.Mode === 'Active' ? 'Active' : 'PassThrough',
          ...loggingLevels(input.LoggingConfig, input.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text', undefined),
          logFormat: input.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
          logGroup: input.LoggingConfig?.LogGroup ?? `/aws/lambda/${ref.name}`,
          tags,
          ...(deadLetterTargetArn ? { deadLetterTargetArn } : {}),
          ...(layers.length > 0 ? { layers } : {}),
        };
        if (!(await store.functions.create(record))) {
          throw LambdaErrors.conflict(`Function already exist: ${ref.name}`);
        }
        const state = deps.functions.create(record);
        deps.logger.info('function created', { function: record.name, runtime: record.runtime });
        if (!input.Publish) return toFunctionConfiguration(record, scope);
        // Lambda answers a publishing create with the new version, under the unqualified ARN.
        const published = await publishLatest(deps, access, state, { bumpLatest: false });
        return toFunctionConfiguration(published, scope, null);
      });
    },

    async GetFunction(input, ctx) {
      const { record, qualifier, state } = await load(input.FunctionName, input.Qualifier);
      // Tags belong to the function, whichever version was asked for.
      const tags = state.latest.record.tags;
      return {
        Configuration: toFunctionConfiguration(record, scope, qualifier),
        Code: { RepositoryType: 'S3', Location: deps.codeLocations.url(ctx.baseUrl, deps.scope.accountId, record.name, record.codeSha256) },
        ...(Object.keys(tags).length > 0 ? { Tags: { ...tags } } : {}),
        ...(state.latest.record.reservedConcurrency !== undefined
          ? { Concurrency: { ReservedConcurrentExecutions: state.latest.record.reservedConcurrency } }
          : {}),
      };
    },

    async GetFunctionConfiguration(input) {
      const { record, qualifier } = await load(input.FunctionName, input.Qualifier);
      return toFunctionConfiguration(record, scope, qualifier);
    },

    async ListFunctions(input) {
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker ? decodeMarker(input.Marker) : undefined;
      if (input.FunctionVersion === 'ALL') {
        const { page, nextKey } = await listAllVersions(store.functions, after, limit);
        return {
          // Every entry's ARN is qualified, $LATEST's included, as for ListVersionsByFunction.
          Functions: page.map((r) => toFunctionConfiguration(r, scope, r.version)),
          ...(nextKey !== undefined ? { NextMarker: encodeMarker(nextKey) } : {}),
        };
      }
      const page = await store.functions.listLatest(after, limit + 1);
      const items = page.slice(0, limit);
      return {
        Functions: items.map((r) => toFunctionConfiguration(r, scope)),
        ...(page.length > limit ? { NextMarker: encodeMarker(items[items.length - 1]!.name) } : {}),
      };
    },

    async UpdateFunctionCode(input) {
      const name = access.unqualified(input.FunctionName);
      if (input.ImageUri) checkUnsupported({ PackageType: 'Image' });
      if (input.S3Bucket && !input.ZipFile) {
        throw LambdaErrors.invalidParameter('Code from S3 is not supported until Nimbus serves S3; upload the zip as ZipFile.');
      }
      return access.exclusive(name, async () => {
        const state = await access.state(name);
        const current = state.latest.record;
        access.checkRevision(current.revisionId, input.RevisionId);
        const code = await storeZip(input.ZipFile, 'UpdateFunctionCode');
        if (current.layers?.length) checkCodeSize(code.unzippedSize, current.layers);
        if (input.DryRun) {
          return toFunctionConfiguration({ ...current, codeSha256: code.sha256Hex, codeSize: code.size }, scope);
        }
        const next: FunctionRecord = {
          ...current,
          architectures: input.Architectures ?? current.architectures,
          codeSha256: code.sha256Hex,
          codeSize: code.size,
          revisionId: randomUUID(),
          lastModified: deps.clock.now(),
        };
        const updated = await access.replaceLatest(next, current);
        if (!input.Publish) return toFunctionConfiguration(updated, scope);
        return toFunctionConfiguration(await publishLatest(deps, access, state, { bumpLatest: false }), scope);
      });
    },

    async UpdateFunctionConfiguration(input) {
      const name = access.unqualified(input.FunctionName);
      checkUnsupported(input);
      if (input.Runtime !== undefined) checkRuntime(input.Runtime);
      if (input.Timeout !== undefined) checkTimeout(input.Timeout);
      if (input.MemorySize !== undefined) checkMemorySize(input.MemorySize);
      if (input.Environment) checkEnvironment(input.Environment.Variables ?? {});
      if (input.Layers !== undefined) checkLayerCount(input.Layers);
      return access.exclusive(name, async () => {
        const current = (await access.state(name)).latest.record;
        access.checkRevision(current.revisionId, input.RevisionId);
        let layers = current.layers;
        if (input.Layers !== undefined) {
          layers = await resolveLayers(deps, input.Layers);
          if (layers.length > 0) checkCodeSize(await deps.code.unzippedSize(current.codeSha256), layers);
          await prepareLayerTree(deps.code, layers);
        }
        const next: FunctionRecord = {
          ...current,
          runtime: input.Runtime ?? current.runtime,
          handler: input.Handler ?? current.handler,
          role: input.Role ?? current.role,
          description: input.Description ?? current.description,
          timeout: input.Timeout ?? current.timeout,
          memorySize: input.MemorySize ?? current.memorySize,
          ephemeralStorage: input.EphemeralStorage?.Size ?? current.ephemeralStorage,
          environment: input.Environment ? (input.Environment.Variables ?? {}) : current.environment,
          tracingMode: input.TracingConfig?.Mode ?? current.tracingMode,
          ...loggingLevels(input.LoggingConfig, input.LoggingConfig?.LogFormat ?? current.logFormat, current),
          logFormat: input.LoggingConfig?.LogFormat ?? current.logFormat,
          logGroup: input.LoggingConfig?.LogGroup ?? current.logGroup,
          // An undefined member is dropped when the record is stored (JSON), so this also removes.
          deadLetterTargetArn: deadLetterOnUpdate(input.DeadLetterConfig, current.deadLetterTargetArn, scope),
          layers: layers?.length ? layers : undefined,
          revisionId: randomUUID(),
          lastModified: deps.clock.now(),
        };
        return toFunctionConfiguration(await access.replaceLatest(next, current), scope);
      });
    },

    async DeleteFunction(input) {
      const { name, qualifier } = access.target(input.FunctionName, input.Qualifier);
      if (qualifier === '$LATEST') {
        throw LambdaErrors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
      }
      if (qualifier !== undefined && isAliasName(qualifier)) {
        throw LambdaErrors.invalidParameter('Deletion of aliases is not supported.');
      }
      return access.exclusive(name, async () => {
        if (qualifier !== undefined) return deleteVersion(name, qualifier);
        if ((await store.functions.deleteAll(name)) === 0) throw access.notFound(name);
        await store.eventInvokeConfigs.deleteAll(name);
        await forgetFunctionUrls(deps, name);
        await store.provisionedConfigs.deleteAll(name);
        deps.provisioner.removeFunction(name);
        deps.concurrency.setReserved(name, undefined);
        deps.functions.delete(name);
        deps.executor.retire((spec) => spec.functionName === name);
        deps.logger.info('function deleted', { function: name });
        return { StatusCode: 204 };
      });
    },

    async GetAccountSettings(_input, ctx) {
      // Lambda's response has no member for it, so the warning goes in an HTTP Warning header,
      // which `aws --debug`, curl and the nimbus CLI show (RFC 9111's 199 "miscellaneous warning").
      if (deps.notIsolated) ctx.responseHeaders.Warning = `199 nimbus "${deps.notIsolated}"`;
      const usage = await store.functions.usage();
      return {
        AccountLimit: {
          TotalCodeSize: LIMITS.totalCodeSize,
          CodeSizeUnzipped: LIMITS.unzippedBytes,
          CodeSizeZipped: LIMITS.zipBytes,
          ConcurrentExecutions: deps.concurrency.accountLimit,
          UnreservedConcurrentExecutions: deps.concurrency.unreservedLimit(),
        },
        AccountUsage: { TotalCodeSize: usage.totalCodeSize, FunctionCount: usage.functionCount },
      };
    },
  };
}

/**
 * LoggingConfig's log levels: only with the JSON format (AWS refuses them for Text); on update
 * absent levels keep their values, and switching to Text drops them.
 */
function loggingLevels(
  config: { ApplicationLogLevel?: string; SystemLogLevel?: string } | undefined,
  format: 'Text' | 'JSON',
  current: FunctionRecord | undefined,
): { applicationLogLevel: string | undefined; systemLogLevel: string | undefined } {
  if (format !== 'JSON') {
    if (config?.ApplicationLogLevel || config?.SystemLogLevel) {
      throw LambdaErrors.invalidParameter('ApplicationLogLevel and SystemLogLevel can only be set when LogFormat is JSON.');
    }
    return { applicationLogLevel: undefined, systemLogLevel: undefined };
  }
  return {
    applicationLogLevel: config?.ApplicationLogLevel ?? current?.applicationLogLevel,
    systemLogLevel: config?.SystemLogLevel ?? current?.systemLogLevel,
  };
}
