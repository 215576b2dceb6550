/**
 * The function lifecycle operations of the Lambda API: create, read, list, update, delete.
 * Each validates its whole input before it changes anything.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
 */
import { randomUUID } from 'node:crypto';
import type { OperationHandler } from '../edge/service.js';
import { LambdaErrors } from '../shared/errors.js';
import type { FunctionRecord } from '../store/store.js';
import { functionArn, parseFunctionRef, resolveQualifier } from './arn.js';
import { ZipRejected } from './code/zip-extract.js';
import type { StoredCode } from './code/code-store.js';
import type { LambdaDeps } from './deps.js';
import { toFunctionConfiguration } from './function-configuration.js';
import {
  LIMITS,
  checkArchitectures,
  checkEnvironment,
  checkMemorySize,
  checkRuntime,
  checkTimeout,
  checkUnsupported,
} from './function-rules.js';

const MAX_LIST_ITEMS = 50;

export function functionOperations(deps: LambdaDeps): Record<string, OperationHandler> {
  const { store, partition } = deps;
  const notFound = (name: string, qualifier?: string) =>
    LambdaErrors.notFound(`Function not found: ${functionArn(partition, name, qualifier)}`);

  /** Resolves FunctionName (+ Qualifier) to the stored record; only $LATEST exists so far. */
  async function load(functionName: string, qualifierParam?: string): Promise<FunctionRecord> {
    const ref = parseFunctionRef(functionName, partition);
    const qualifier = resolveQualifier(ref, qualifierParam);
    if (qualifier !== undefined && qualifier !== '$LATEST') throw notFound(ref.name, qualifier);
    const resolved = await deps.functions.get(ref.name);
    if (!resolved) throw notFound(ref.name, qualifier);
    return resolved.record;
  }

  async function storeZip(zip: Buffer | undefined, operation: string): Promise<StoredCode> {
    if (!zip || zip.length === 0) {
      throw LambdaErrors.invalidParameter('Please provide a source for function code.');
    }
    if (zip.length > LIMITS.zipBytes) {
      throw LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.zipRequestBytes} bytes for the ${operation} operation`);
    }
    try {
      return await deps.code.put(zip);
    } catch (err) {
      if (!(err instanceof ZipRejected)) throw err;
      if (err.reason === 'too-large') {
        throw LambdaErrors.invalidParameter(`Unzipped size must be smaller than ${LIMITS.unzippedBytes} bytes`);
      }
      if (err.reason === 'not-a-zip') {
        throw LambdaErrors.invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
      }
      throw LambdaErrors.invalidParameter(`Could not unzip uploaded file: ${err.message}`);
    }
  }

  /** Writes a new revision with compare-and-set; a concurrent writer gets Lambda's conflict. */
  async function replace(next: FunctionRecord, previous: FunctionRecord): Promise<FunctionRecord> {
    if (!(await store.functions.replace(next, previous.revisionId))) {
      throw LambdaErrors.conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(partition, next.name)}`,
      );
    }
    deps.functions.put(next);
    // Environments built for the old revision finish what they run, then go.
    deps.executor.retire((spec) => spec.functionName === next.name && spec.key !== `${next.name}:$LATEST:${next.revisionId}`);
    return next;
  }

  function checkRevision(record: FunctionRecord, revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== record.revisionId) {
      throw LambdaErrors.preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }

  return {
    async CreateFunction(input) {
      checkUnsupported(input);
      const name = input.FunctionName as string;
      const ref = parseFunctionRef(name, partition);
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
      checkArchitectures(architectures);
      if (input.Code?.S3Bucket && !input.Code?.ZipFile) {
        throw LambdaErrors.invalidParameter('Code from S3 is not supported until Nimbus serves S3; upload the zip as ZipFile.');
      }
      if (await deps.functions.get(ref.name)) {
        throw LambdaErrors.conflict(`Function already exist: ${ref.name}`);
      }
      const code = await storeZip(input.Code?.ZipFile, 'CreateFunction');
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
        logFormat: input.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
        logGroup: input.LoggingConfig?.LogGroup ?? `/aws/lambda/${ref.name}`,
        tags: input.Tags ?? {},
      };
      if (!(await store.functions.create(record))) {
        throw LambdaErrors.conflict(`Function already exist: ${ref.name}`);
      }
      deps.functions.put(record);
      deps.logger.info('function created', { function: record.name, runtime: record.runtime });
      return toFunctionConfiguration(record, partition);
    },

    async GetFunction(input, ctx) {
      const record = await load(input.FunctionName, input.Qualifier);
      return {
        Configuration: toFunctionConfiguration(record, partition),
        Code: { RepositoryType: 'S3', Location: deps.codeLocations.url(ctx.baseUrl, record.codeSha256) },
        ...(Object.keys(record.tags).length > 0 ? { Tags: { ...record.tags } } : {}),
      };
    },

    async GetFunctionConfiguration(input) {
      return toFunctionConfiguration(await load(input.FunctionName, input.Qualifier), partition);
    },

    async ListFunctions(input) {
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker ? decodeMarker(input.Marker) : undefined;
      const page = await store.functions.listLatest(after, limit + 1);
      const items = page.slice(0, limit);
      return {
        Functions: items.map((r) => toFunctionConfiguration(r, partition)),
        ...(page.length > limit ? { NextMarker: encodeMarker(items[items.length - 1]!.name) } : {}),
      };
    },

    async UpdateFunctionCode(input) {
      const current = await load(input.FunctionName);
      checkRevision(current, input.RevisionId);
      if (input.ImageUri) checkUnsupported({ PackageType: 'Image' });
      if (input.S3Bucket && !input.ZipFile) {
        throw LambdaErrors.invalidParameter('Code from S3 is not supported until Nimbus serves S3; upload the zip as ZipFile.');
      }
      const architectures = input.Architectures ?? current.architectures;
      checkArchitectures(architectures);
      const code = await storeZip(input.ZipFile, 'UpdateFunctionCode');
      if (input.DryRun) {
        return toFunctionConfiguration({ ...current, codeSha256: code.sha256Hex, codeSize: code.size }, partition);
      }
      const next: FunctionRecord = {
        ...current,
        architectures,
        codeSha256: code.sha256Hex,
        codeSize: code.size,
        revisionId: randomUUID(),
        lastModified: deps.clock.now(),
      };
      return toFunctionConfiguration(await replace(next, current), partition);
    },

    async UpdateFunctionConfiguration(input) {
      const current = await load(input.FunctionName);
      checkRevision(current, input.RevisionId);
      checkUnsupported(input);
      if (input.Runtime !== undefined) checkRuntime(input.Runtime);
      if (input.Timeout !== undefined) checkTimeout(input.Timeout);
      if (input.MemorySize !== undefined) checkMemorySize(input.MemorySize);
      const environment = input.Environment ? (input.Environment.Variables ?? {}) : current.environment;
      checkEnvironment(environment);
      const next: FunctionRecord = {
        ...current,
        runtime: input.Runtime ?? current.runtime,
        handler: input.Handler ?? current.handler,
        role: input.Role ?? current.role,
        description: input.Description ?? current.description,
        timeout: input.Timeout ?? current.timeout,
        memorySize: input.MemorySize ?? current.memorySize,
        ephemeralStorage: input.EphemeralStorage?.Size ?? current.ephemeralStorage,
        environment,
        tracingMode: input.TracingConfig?.Mode ?? current.tracingMode,
        logFormat: input.LoggingConfig?.LogFormat ?? current.logFormat,
        logGroup: input.LoggingConfig?.LogGroup ?? current.logGroup,
        revisionId: randomUUID(),
        lastModified: deps.clock.now(),
      };
      return toFunctionConfiguration(await replace(next, current), partition);
    },

    async DeleteFunction(input) {
      const ref = parseFunctionRef(input.FunctionName, partition);
      const qualifier = resolveQualifier(ref, input.Qualifier);
      if (qualifier === '$LATEST') {
        throw LambdaErrors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
      }
      if (qualifier !== undefined) throw notFound(ref.name, qualifier);
      if ((await store.functions.deleteAll(ref.name)) === 0) throw notFound(ref.name);
      deps.functions.delete(ref.name);
      deps.executor.retire((spec) => spec.functionName === ref.name);
      deps.logger.info('function deleted', { function: ref.name });
      return {};
    },

    async GetAccountSettings() {
      const usage = await store.functions.usage();
      return {
        AccountLimit: {
          TotalCodeSize: LIMITS.totalCodeSize,
          CodeSizeUnzipped: LIMITS.unzippedBytes,
          CodeSizeZipped: LIMITS.zipBytes,
          ConcurrentExecutions: LIMITS.concurrentExecutions,
          UnreservedConcurrentExecutions: LIMITS.concurrentExecutions,
        },
        AccountUsage: { TotalCodeSize: usage.totalCodeSize, FunctionCount: usage.functionCount },
      };
    },
  };
}

/** Markers are opaque to callers; inside they carry the last name of the previous page. */
function encodeMarker(name: string): string {
  return Buffer.from(JSON.stringify({ after: name })).toString('base64url');
}

function decodeMarker(marker: string): string {
  try {
    const after = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')).after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through
  }
  throw LambdaErrors.invalidParameter('Invalid Marker.');
}
