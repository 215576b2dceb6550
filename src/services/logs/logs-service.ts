/**
 * CloudWatch Logs, the part Nimbus needs today: log groups and streams, writing events, and
 * reading them back (GetLogEvents, FilterLogEvents with term patterns), so `aws logs` and
 * `nimbus logs` can read function output. JSON 1.1 protocol, `Logs_20140328.*` targets. Reads
 * return at most 10,000 events and 1 MB, read in chunks (log-event-reader.ts).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/Welcome.html
 */
import { loadModel } from '../../kit/models/models.js';
import type { ServiceDefinition } from '../../kit/service-definition.js';
import type { Clock } from '../../shared/clock.js';
import { scopeOf, type Scope } from '../../shared/scope.js';
import type { LogStore, LogStreamRecord, StoredLogEvent } from './store/log-store.js';
import { compileFilterPattern, requiredText } from './filter-pattern.js';
import { collectEvents, MAX_EVENTS, type ChunkReader } from './log-event-reader.js';
import { checkTags, logGroupTagOperations } from './log-group-tags.js';
import { LogsErrors } from './logs-errors.js';
import { countAfter, encodeToken, eventToken, groupAfter, readEventToken } from './logs-tokens.js';

export interface LogsDeps {
  store: LogStore;
  clock: Clock;
  /** Captured function output not yet written; reads flush it first so they see it. */
  logSink: { flush(): Promise<void> };
}

/** The retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS: ReadonlySet<number> = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);
const MAX_BATCH_BYTES = 1_048_576;

export function logsService(deps: LogsDeps): ServiceDefinition {
  const { store, clock } = deps;
  const groupArn = (scope: Scope, name: string) => `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${name}`;

  async function requireGroup(scope: Scope, name: string) {
    const group = await store.getGroup(scope, name);
    if (!group) throw LogsErrors.groupNotFound();
    return group;
  }

  const streamShape = (scope: Scope) => (s: LogStreamRecord) => ({
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp !== undefined ? { firstEventTimestamp: s.firstEventTimestamp } : {}),
    ...(s.lastEventTimestamp !== undefined ? { lastEventTimestamp: s.lastEventTimestamp } : {}),
    ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
    arn: `${groupArn(scope, s.logGroupName)}:log-stream:${s.name}`,
    storedBytes: s.storedBytes,
  });

  const eventShape = (e: StoredLogEvent) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime });

  return {
    signingName: 'logs',
    model: loadModel('logs'),
    operations: {
      async CreateLogGroup(input, ctx) {
        const scope = scopeOf(ctx);
        if (input.tags) checkTags(input.tags);
        if (!(await store.createGroup(scope, input.logGroupName, clock.now()))) throw LogsErrors.groupExists();
        if (input.tags) await store.setTags(scope, input.logGroupName, input.tags);
        return {};
      },

      async PutRetentionPolicy(input, ctx) {
        const scope = scopeOf(ctx);
        if (!RETENTION_DAYS.has(input.retentionInDays)) {
          throw LogsErrors.invalidParameter(
            `1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: ` +
              `Member must satisfy enum value set: [${[...RETENTION_DAYS].join(', ')}]`,
          );
        }
        if (!(await store.setRetention(scope, input.logGroupName, input.retentionInDays))) throw LogsErrors.groupNotFound();
        await store.expire(clock.now());
        return {};
      },

      async DeleteRetentionPolicy(input, ctx) {
        const scope = scopeOf(ctx);
        if (!(await store.setRetention(scope, input.logGroupName, undefined))) throw LogsErrors.groupNotFound();
        return {};
      },

      ...logGroupTagOperations(store),

      async DeleteLogGroup(input, ctx) {
        const scope = scopeOf(ctx);
        if (!(await store.deleteGroup(scope, input.logGroupName))) throw LogsErrors.groupNotFound();
        return {};
      },

      async DescribeLogGroups(input, ctx) {
        const scope = scopeOf(ctx);
        const limit = input.limit ?? 50;
        const after = input.nextToken ? groupAfter(input.nextToken) : undefined;
        const groups = await store.listGroups(scope, input.logGroupNamePrefix, after, limit + 1);
        const page = groups.slice(0, limit);
        return {
          logGroups: page.map((g) => ({
            logGroupName: g.name,
            creationTime: g.creationTime,
            ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
            metricFilterCount: 0,
            arn: `${groupArn(scope, g.name)}:*`,
            logGroupArn: groupArn(scope, g.name),
            storedBytes: g.storedBytes,
          })),
          ...(groups.length > limit ? { nextToken: encodeToken(page[page.length - 1]!.name) } : {}),
        };
      },

      async CreateLogStream(input, ctx) {
        const scope = scopeOf(ctx);
        await requireGroup(scope, input.logGroupName);
        if (!(await store.createStream(scope, input.logGroupName, input.logStreamName, clock.now()))) throw LogsErrors.streamExists();
        return {};
      },

      async DescribeLogStreams(input, ctx) {
        const scope = scopeOf(ctx);
        await deps.logSink.flush();
        await requireGroup(scope, input.logGroupName);
        const orderBy = input.orderBy ?? 'LogStreamName';
        if (orderBy === 'LastEventTime' && input.logStreamNamePrefix) {
          throw LogsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
        }
        const limit = input.limit ?? 50;
        const offset = input.nextToken ? countAfter(input.nextToken) : 0;
        const streams = await store.listStreams(scope, input.logGroupName, {
          prefix: input.logStreamNamePrefix,
          orderBy,
          descending: input.descending ?? false,
          offset,
          limit: limit + 1,
        });
        const page = streams.slice(0, limit);
        return {
          logStreams: page.map(streamShape(scope)),
          ...(streams.length > limit ? { nextToken: encodeToken(offset + limit) } : {}),
        };
      },

      async PutLogEvents(input, ctx) {
        const scope = scopeOf(ctx);
        const events: { timestamp: number; message: string }[] = input.logEvents;
        if (events.length > MAX_EVENTS) {
          throw LogsErrors.invalidParameter(`The batch of log events in a single PutLogEvents request cannot exceed ${MAX_EVENTS} events.`);
        }
        let bytes = 0;
        for (let i = 0; i < events.length; i++) {
          bytes += Buffer.byteLength(events[i]!.message) + 26;
          if (i > 0 && events[i]!.timestamp < events[i - 1]!.timestamp) {
            throw LogsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
          }
        }
        if (bytes > MAX_BATCH_BYTES) {
          throw LogsErrors.invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
        }
        await requireGroup(scope, input.logGroupName);
        if (!(await store.getStream(scope, input.logGroupName, input.logStreamName))) throw LogsErrors.streamNotFound();
        await store.append([{ scope, logGroupName: input.logGroupName, logStreamName: input.logStreamName, events }], clock.now());
        return {};
      },

      async GetLogEvents(input, ctx) {
        const scope = scopeOf(ctx);
        await deps.logSink.flush();
        await requireGroup(scope, input.logGroupName);
        if (!(await store.getStream(scope, input.logGroupName, input.logStreamName))) throw LogsErrors.streamNotFound();
        const token: string | undefined = input.nextToken;
        const resume = token === undefined ? undefined : readEventToken(token);
        const forward = resume ? resume.direction === 'f' : input.startFromHead === true;
        const base = { logGroupName: input.logGroupName, logStreamNames: [input.logStreamName], startTime: input.startTime, endTime: input.endTime };
        const read: ChunkReader = (cursor, limit) =>
          store.events(scope, forward ? { ...base, afterId: cursor, limit } : { ...base, beforeId: cursor, descending: true, limit });
        const collected = (await collectEvents(read, { limit: input.limit ?? MAX_EVENTS, cursor: resume?.id })).events;
        const events = forward ? collected : collected.reverse();
        // At either end CloudWatch hands back the token it was given, which is how callers stop.
        const first = events[0]?.id;
        const last = events[events.length - 1]?.id;
        return {
          events: events.map(eventShape),
          nextForwardToken: last !== undefined ? eventToken('f', last) : token?.startsWith('f/') ? token : eventToken('f', 0),
          nextBackwardToken: first !== undefined ? eventToken('b', first) : token?.startsWith('b/') ? token : eventToken('b', 0),
        };
      },

      async FilterLogEvents(input, ctx) {
        const scope = scopeOf(ctx);
        await deps.logSink.flush();
        if (!input.logGroupName && !input.logGroupIdentifier) {
          throw LogsErrors.invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
        }
        const groupName: string = input.logGroupName ?? String(input.logGroupIdentifier).replace(/^arn:.*:log-group:/, '').replace(/:\*$/, '');
        await requireGroup(scope, groupName);
        if (input.logStreamNames && input.logStreamNamePrefix) {
          throw LogsErrors.invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive.');
        }
        if (input.startTime !== undefined && input.endTime !== undefined && input.endTime < input.startTime) {
          throw LogsErrors.invalidParameter('endTime must be greater than or equal to startTime.');
        }
        const match = compileFilterPattern(input.filterPattern);
        // The pattern's substrings are tested in the store, so it hands over only candidates.
        const containing = requiredText(input.filterPattern);
        const cursor = input.nextToken ? countAfter(input.nextToken) : undefined;
        const read: ChunkReader = (afterId, limit) =>
          store.events(scope, {
            logGroupName: groupName,
            logStreamNames: input.logStreamNames,
            logStreamNamePrefix: input.logStreamNamePrefix,
            startTime: input.startTime,
            endTime: input.endTime,
            afterId,
            ...(containing ? { containing } : {}),
            limit,
          });
        const found = await collectEvents(read, { limit: input.limit ?? MAX_EVENTS, cursor, match });
        return {
          events: found.events.map((e) => ({ logStreamName: e.logStreamName, eventId: String(e.id), ...eventShape(e) })),
          searchedLogStreams: [],
          ...(found.stopped && found.lastId !== undefined ? { nextToken: encodeToken(found.lastId) } : {}),
        };
      },
    },
  };
}
