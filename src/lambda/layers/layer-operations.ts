/**
 * Layers: PublishLayerVersion stores a zip in the content-addressed code store (the same zip
 * published twice, or used as a function's code, is stored once) under the layer's next
 * version number; versions are read, listed and deleted by number, and each has its own
 * resource-based policy (AddLayerVersionPermission). Numbers are never reused.
 * https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html
 */
import { randomUUID } from 'node:crypto';
import type { OperationContext, OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { LayerPolicyRecord, LayerVersionRecord } from '../store/layer-store.js';
import { storeUpload } from '../code/upload.js';
import type { LambdaDeps } from '../deps.js';
import { lambdaTimestamp } from '../functions/function-configuration.js';
import { KeyedLock } from '../keyed-lock.js';
import { layerArn, layerVersionArn, localLayerName, parseLayerVersionArn } from './layer-arn.js';
import { buildLayerStatement } from './layer-statement.js';
import { decodeMarker, encodeMarker } from '../functions/list-marker.js';

const MAX_LIST_ITEMS = 50;
const STALE_POLICY =
  'The Revision Id provided does not match the latest Revision Id. Call the GetLayerVersionPolicy API to retrieve the latest Revision Id';

export function layerOperations(deps: LambdaDeps): Record<string, OperationHandler> {
  const { store, scope } = deps;
  const locks = new KeyedLock();
  const notFound = () => LambdaErrors.notFound('The resource you requested does not exist.');

  /** The shared members of GetLayerVersion, PublishLayerVersion and the list items. */
  function describe(v: LayerVersionRecord): Record<string, unknown> {
    return {
      LayerVersionArn: layerVersionArn(scope, v.layerName, v.version),
      Version: v.version,
      Description: v.description,
      CreatedDate: lambdaTimestamp(v.createdDate),
      ...(v.compatibleRuntimes.length > 0 ? { CompatibleRuntimes: [...v.compatibleRuntimes] } : {}),
      ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
      ...(v.compatibleArchitectures.length > 0 ? { CompatibleArchitectures: [...v.compatibleArchitectures] } : {}),
    };
  }

  function full(v: LayerVersionRecord, ctx: OperationContext): Record<string, unknown> {
    return {
      Content: {
        Location: deps.codeLocations.url(ctx.baseUrl, deps.scope.accountId, v.layerName, v.codeSha256),
        CodeSha256: Buffer.from(v.codeSha256, 'hex').toString('base64'),
        CodeSize: v.codeSize,
      },
      LayerArn: layerArn(scope, v.layerName),
      ...describe(v),
    };
  }

  /** A version by LayerName (name or ARN) and number; ResourceNotFoundException otherwise. */
  async function find(layerNameParam: string, version: number): Promise<LayerVersionRecord> {
    const name = localLayerName(layerNameParam, scope);
    const found = name === undefined ? undefined : await store.layers.get(name, version);
    if (!found) throw notFound();
    return found;
  }

  /** A version that a permission operation names; Lambda names the missing ARN. */
  async function findForPolicy(layerNameParam: string, version: number): Promise<LayerVersionRecord> {
    const name = localLayerName(layerNameParam, scope);
    const found = name === undefined ? undefined : await store.layers.get(name, version);
    if (!found) {
      throw LambdaErrors.notFound(`Layer version ${layerVersionArn(scope, name ?? layerNameParam, version)} does not exist.`);
    }
    return found;
  }

  function matches(v: LayerVersionRecord, runtime: string | undefined, architecture: string | undefined): boolean {
    return (
      (runtime === undefined || v.compatibleRuntimes.includes(runtime)) &&
      (architecture === undefined || v.compatibleArchitectures.includes(architecture))
    );
  }

  function checkPolicyRevision(policy: LayerPolicyRecord | undefined, given: string | undefined): void {
    if (given !== undefined && given !== policy?.revisionId) throw LambdaErrors.preconditionFailed(STALE_POLICY);
  }

  return {
    async PublishLayerVersion(input, ctx) {
      const name = localLayerName(input.LayerName, scope);
      if (name === undefined) throw notFound();
      if (input.Content?.S3Bucket && !input.Content?.ZipFile) {
        throw LambdaErrors.invalidParameter('Code from S3 is not supported until Nimbus serves S3; upload the zip as ZipFile.');
      }
      const code = await storeUpload(deps.code, input.Content?.ZipFile, 'PublishLayerVersion');
      const published = await store.layers.publish({
        layerName: name,
        description: input.Description ?? '',
        ...(input.LicenseInfo !== undefined ? { licenseInfo: input.LicenseInfo } : {}),
        compatibleRuntimes: input.CompatibleRuntimes ?? [],
        compatibleArchitectures: input.CompatibleArchitectures ?? [],
        codeSha256: code.sha256Hex,
        codeSize: code.size,
        unzippedSize: code.unzippedSize,
        createdDate: deps.clock.now(),
      });
      deps.logger.info('layer version published', { layer: name, version: published.version });
      return full(published, ctx);
    },

    async GetLayerVersion(input, ctx) {
      return full(await find(input.LayerName, input.VersionNumber), ctx);
    },

    async GetLayerVersionByArn(input, ctx) {
      const ref = parseLayerVersionArn(input.Arn);
      if (!ref || ref.accountId !== scope.accountId || ref.region !== scope.region) throw notFound();
      return full(await find(ref.layerName, ref.version), ctx);
    },

    async ListLayerVersions(input) {
      const name = localLayerName(input.LayerName, scope);
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker !== undefined ? Number(decodeMarker(input.Marker)) : Infinity;
      const all = name === undefined ? [] : await store.layers.listVersions(name);
      const rest = all.filter((v) => v.version < after && matches(v, input.CompatibleRuntime, input.CompatibleArchitecture));
      const page = rest.slice(0, limit);
      return {
        LayerVersions: page.map(describe),
        ...(rest.length > limit ? { NextMarker: encodeMarker(String(page[page.length - 1]!.version)) } : {}),
      };
    },

    async ListLayers(input) {
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker !== undefined ? decodeMarker(input.Marker) : undefined;
      // Versions come by layer name, newest first: the first match of each layer is its latest.
      const latest = new Map<string, LayerVersionRecord>();
      for (const v of await store.layers.listAll(after)) {
        if (!latest.has(v.layerName) && matches(v, input.CompatibleRuntime, input.CompatibleArchitecture)) latest.set(v.layerName, v);
      }
      const all = [...latest.values()];
      const page = all.slice(0, limit);
      return {
        Layers: page.map((v) => ({ LayerName: v.layerName, LayerArn: layerArn(scope, v.layerName), LatestMatchingVersion: describe(v) })),
        ...(all.length > limit ? { NextMarker: encodeMarker(page[page.length - 1]!.layerName) } : {}),
      };
    },

    async DeleteLayerVersion(input) {
      // Idempotent, as Lambda: deleting a version that is not there succeeds. Functions that use
      // the version keep running it (its content stays in the code store).
      const name = localLayerName(input.LayerName, scope);
      if (name !== undefined && (await store.layers.deleteVersion(name, input.VersionNumber))) {
        deps.logger.info('layer version deleted', { layer: name, version: input.VersionNumber });
      }
      return { StatusCode: 204 };
    },

    async AddLayerVersionPermission(input) {
      const v = await findForPolicy(input.LayerName, input.VersionNumber);
      const statement = buildLayerStatement(input, layerVersionArn(scope, v.layerName, v.version));
      return locks.run(`${v.layerName}:${v.version}`, async () => {
        const current = await store.layers.getPolicy(v.layerName, v.version);
        checkPolicyRevision(current, input.RevisionId);
        if (current?.statements.some((s) => s.Sid === input.StatementId)) {
          throw LambdaErrors.conflict(
            `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          );
        }
        const next: LayerPolicyRecord = {
          layerName: v.layerName,
          version: v.version,
          statements: [...(current?.statements ?? []), statement],
          revisionId: randomUUID(),
        };
        if (!(await store.layers.savePolicy(next, current?.revisionId ?? null))) throw LambdaErrors.preconditionFailed(STALE_POLICY);
        return { Statement: JSON.stringify(statement), RevisionId: next.revisionId };
      });
    },

    async RemoveLayerVersionPermission(input) {
      const v = await findForPolicy(input.LayerName, input.VersionNumber);
      return locks.run(`${v.layerName}:${v.version}`, async () => {
        const current = await store.layers.getPolicy(v.layerName, v.version);
        if (!current) throw LambdaErrors.notFound('No policy is associated with the given resource.');
        checkPolicyRevision(current, input.RevisionId);
        const statements = current.statements.filter((s) => s.Sid !== input.StatementId);
        if (statements.length === current.statements.length) {
          throw LambdaErrors.notFound(`Statement ${input.StatementId} is not found in resource policy.`);
        }
        if (statements.length === 0) await store.layers.deletePolicy(v.layerName, v.version);
        else await store.layers.savePolicy({ ...current, statements, revisionId: randomUUID() }, current.revisionId);
        return { StatusCode: 204 };
      });
    },

    async GetLayerVersionPolicy(input) {
      const v = await findForPolicy(input.LayerName, input.VersionNumber);
      const policy = await store.layers.getPolicy(v.layerName, v.version);
      if (!policy) throw LambdaErrors.notFound('No policy is associated with the given resource.');
      return {
        Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }),
        RevisionId: policy.revisionId,
      };
    },
  };
}
