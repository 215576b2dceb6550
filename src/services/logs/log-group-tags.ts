/**
 * Tags of log groups: TagResource, UntagResource and ListTagsForResource by ARN, and the older
 * group-name forms (TagLogGroup, UntagLogGroup, ListTagsLogGroup) some tools still send. At most
 * 50 tags per group, as CloudWatch Logs.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import { scopeOf, type Scope } from '../../shared/scope.js';
import type { LogStore } from './store/log-store.js';
import { LogsErrors } from './logs-errors.js';

const MAX_TAGS = 50;

/** The tag handlers, to spread into the Logs service's operations. */
export function logGroupTagOperations(store: LogStore): Record<string, OperationHandler> {
  async function requireGroup(scope: Scope, name: string) {
    const group = await store.getGroup(scope, name);
    if (!group) throw LogsErrors.groupNotFound();
    return group;
  }

  return {
    async TagResource(input, ctx) {
      const scope = scopeOf(ctx);
      const name = groupFromArn(input.resourceArn, scope);
      checkTags(input.tags);
      const group = await requireGroup(scope, name);
      await store.setTags(scope, name, { ...group.tags, ...input.tags });
      return {};
    },

    async UntagResource(input, ctx) {
      const scope = scopeOf(ctx);
      const name = groupFromArn(input.resourceArn, scope);
      const group = await requireGroup(scope, name);
      const tags = { ...group.tags };
      for (const key of input.tagKeys as string[]) delete tags[key];
      await store.setTags(scope, name, tags);
      return {};
    },

    async ListTagsForResource(input, ctx) {
      const scope = scopeOf(ctx);
      return { tags: { ...(await requireGroup(scope, groupFromArn(input.resourceArn, scope))).tags } };
    },

    // The older, group-name forms of the same (still sent by some tools).
    async TagLogGroup(input, ctx) {
      const scope = scopeOf(ctx);
      checkTags(input.tags);
      const group = await requireGroup(scope, input.logGroupName);
      await store.setTags(scope, input.logGroupName, { ...group.tags, ...input.tags });
      return {};
    },

    async UntagLogGroup(input, ctx) {
      const scope = scopeOf(ctx);
      const group = await requireGroup(scope, input.logGroupName);
      const tags = { ...group.tags };
      for (const key of input.tags as string[]) delete tags[key];
      await store.setTags(scope, input.logGroupName, tags);
      return {};
    },

    async ListTagsLogGroup(input, ctx) {
      const scope = scopeOf(ctx);
      return { tags: { ...(await requireGroup(scope, input.logGroupName)).tags } };
    },
  };
}

/**
 * The log group an ARN names (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, optionally `:*`); a
 * group of another region or account is not this caller's to find.
 */
function groupFromArn(arn: string, scope: Scope): string {
  const m = /^arn:aws[a-zA-Z-]*:logs:([^:]*):(\d{12}):log-group:(.+?)(:\*)?$/.exec(arn);
  if (!m) throw LogsErrors.invalidParameter(`Invalid resource ARN: ${arn}`);
  if (m[1] !== scope.region || m[2] !== scope.accountId) throw LogsErrors.groupNotFound();
  return m[3]!;
}

/** Refuses more tags than a group may hold. */
export function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw LogsErrors.invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
}
