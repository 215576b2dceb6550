/**
 * Tags on functions: TagResource, UntagResource, ListTags. Tags belong to the function, not to
 * a version or alias (Lambda refuses qualified ARNs here), so they live on the `$LATEST` record
 * and a tag change keeps its RevisionId and its warm environments.
 * https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import { parseFunctionRef } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from './function-access.js';

/** Lambda allows 50 tags per resource. */
export const MAX_TAGS = 50;

/** Refuses a tag set over Lambda's limit. */
export function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw LambdaErrors.invalidParameter('Number of tags exceeds resource tag limit.');
}

export function tagOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  /** The function a taggable resource ARN names (the edge has checked its form). */
  function functionOf(resource: string): string {
    const ref = parseFunctionRef(resource, deps.scope);
    if (ref.qualifier !== undefined) {
      throw LambdaErrors.invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
    }
    return ref.name;
  }

  /** Applies `change` to the function's tags under its lock. */
  function retag(resource: string, change: (tags: Record<string, string>) => Record<string, string>) {
    const name = functionOf(resource);
    return access.exclusive(name, async () => {
      const latest = (await access.state(name)).latest.record;
      const tags = change({ ...latest.tags });
      checkTagCount(tags);
      await access.replaceLatest({ ...latest, tags }, latest);
      return {};
    });
  }

  return {
    async TagResource(input) {
      return retag(input.Resource, (tags) => ({ ...tags, ...input.Tags }));
    },

    async UntagResource(input) {
      const keys = new Set<string>(input.TagKeys);
      return retag(input.Resource, (tags) => Object.fromEntries(Object.entries(tags).filter(([k]) => !keys.has(k))));
    },

    async ListTags(input) {
      const name = functionOf(input.Resource);
      return { Tags: { ...(await access.state(name)).latest.record.tags } };
    },
  };
}
