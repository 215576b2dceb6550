/**
 * Versions: PublishVersion snapshots `$LATEST` (code and configuration) as an immutable,
 * numbered record; ListVersionsByFunction pages through them. Publishing when nothing changed
 * since the last published version returns that version instead of a new one, as Lambda does.
 * https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
 */
import { randomUUID } from 'node:crypto';
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { FunctionRecord } from '../store/function-store.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from '../functions/function-access.js';
import type { FunctionState } from '../functions/function-cache.js';
import { toFunctionConfiguration } from '../functions/function-configuration.js';
import { decodeMarker, encodeMarker } from '../functions/list-marker.js';

const MAX_LIST_ITEMS = 50;

export interface PublishOptions {
  description?: string;
  /** PublishVersion gives `$LATEST` a new RevisionId; publishing on create/update does not. */
  bumpLatest: boolean;
}

/** Publishes `$LATEST` of a loaded function; the caller holds the function's lock. */
export async function publishLatest(deps: LambdaDeps, access: FunctionAccess, state: FunctionState, options: PublishOptions): Promise<FunctionRecord> {
  const latest = state.latest.record;
  const last = lastPublished(state);
  if (last && sameContent(last, latest)) return last;
  const published = await deps.store.functions.publishVersion({
    ...latest,
    revisionId: randomUUID(),
    description: options.description ?? latest.description,
    lastModified: deps.clock.now(),
  });
  deps.functions.put(published);
  if (options.bumpLatest) await access.replaceLatest({ ...latest, revisionId: randomUUID() }, latest);
  deps.logger.info('version published', { function: published.name, version: published.version });
  return published;
}

export function versionOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  const { scope } = deps;

  return {
    async PublishVersion(input) {
      const name = access.unqualified(input.FunctionName);
      return access.exclusive(name, async () => {
        const state = await access.state(name);
        const latest = state.latest.record;
        access.checkRevision(latest.revisionId, input.RevisionId);
        const currentSha = Buffer.from(latest.codeSha256, 'hex').toString('base64');
        if (input.CodeSha256 !== undefined && input.CodeSha256 !== currentSha) {
          throw LambdaErrors.invalidParameter(
            `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${currentSha}). Please try again with the CodeSHA256 in $LATEST.`,
          );
        }
        const published = await publishLatest(deps, access, state, { description: input.Description, bumpLatest: true });
        return toFunctionConfiguration(published, scope);
      });
    },

    async ListVersionsByFunction(input) {
      const name = access.unqualified(input.FunctionName);
      const state = await access.state(name);
      const all = [state.latest.record, ...[...state.versions.values()].map((v) => v.record).sort(byVersion)];
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const after = input.Marker !== undefined ? decodeMarker(input.Marker) : undefined;
      const start = after === undefined ? 0 : all.findIndex((r) => versionOrder(r.version) > versionOrder(after));
      const rest = start < 0 ? [] : all.slice(start);
      const page = rest.slice(0, limit);
      return {
        // Every entry's ARN is qualified here, $LATEST's included, as Lambda lists them.
        Versions: page.map((r) => toFunctionConfiguration(r, scope, r.version)),
        ...(rest.length > limit ? { NextMarker: encodeMarker(page[page.length - 1]!.version) } : {}),
      };
    },
  };
}

function lastPublished(state: FunctionState): FunctionRecord | undefined {
  let last: FunctionRecord | undefined;
  for (const { record } of state.versions.values()) {
    if (!last || Number(record.version) > Number(last.version)) last = record;
  }
  return last;
}

/** Fields that make a version what it runs; identity, revision, time, tags and description aside. */
function sameContent(a: FunctionRecord, b: FunctionRecord): boolean {
  const strip = ({ name, version, revisionId, lastModified, tags, description, ...rest }: FunctionRecord) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

const versionOrder = (version: string) => (version === '$LATEST' ? -1 : Number(version));
const byVersion = (a: FunctionRecord, b: FunctionRecord) => versionOrder(a.version) - versionOrder(b.version);
