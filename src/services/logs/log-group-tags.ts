/**
 * Tags of log groups: TagResource, UntagResource and ListTagsForResource by ARN, and the older
 * group-name forms (TagLogGroup, UntagLogGroup, ListTagsLogGroup) some tools still send. At most
 * 50 tags per group, as CloudWatch Logs.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import type { LogStore } from '../../store/store.js';
import { LogsErrors } from './logs-errors.js';

const MAX_TAGS = 50;

/** The tag handlers, to spread into the Logs service's operations. */
export function logGroupTagOperations(store: LogStore): Record<string, OperationHandler> {
  async function requireGroup(name: string) {
    const group = await store.getGroup(name);
    if (!group) throw LogsErrors.groupNotFound();
    return group;
  }

  return {
    async TagResource(input) {
      const name = groupFromArn(input.resourceArn);
      checkTags(input.tags);
      const group = await requireGroup(name);
      await store.setTags(name, { ...group.tags, ...input.tags });
      return {};
    },

    async UntagResource(input) {
      const name = groupFromArn(input.resourceArn);
      const group = await requireGroup(name);
      const tags = { ...group.tags };
      for (const key of input.tagKeys as string[]) delete tags[key];
      await store.setTags(name, tags);
      return {};
    },

    async ListTagsForResource(input) {
      return { tags: { ...(await requireGroup(groupFromArn(input.resourceArn))).tags } };
    },

    // The older, group-name forms of the same (still sent by some tools).
    async TagLogGroup(input) {
      checkTags(input.tags);
      const group = await requireGroup(input.logGroupName);
      await store.setTags(input.logGroupName, { ...group.tags, ...input.tags });
      return {};
    },

    async UntagLogGroup(input) {
      const group = await requireGroup(input.logGroupName);
      const tags = { ...group.tags };
      for (const key of input.tags as string[]) delete tags[key];
      await store.setTags(input.logGroupName, tags);
      return {};
    },

    async ListTagsLogGroup(input) {
      return { tags: { ...(await requireGroup(input.logGroupName)).tags } };
    },
  };
}

/** The log group an ARN names (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, optionally `:*`). */
function groupFromArn(arn: string): string {
  const m = /^arn:aws[a-zA-Z-]*:logs:[^:]*:\d{12}:log-group:(.+?)(:\*)?$/.exec(arn);
  if (!m) throw LogsErrors.invalidParameter(`Invalid resource ARN: ${arn}`);
  return m[1]!;
}

/** Refuses more tags than a group may hold. */
export function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw LogsErrors.invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
}
