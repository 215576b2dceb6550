/**
 * CloudWatch Logs' slice of the store: log groups per scope (account and region), their streams
 * and events. Events are written in batches (the log sink, PutLogEvents) and read in time order
 * with a store-assigned id that tokens resume from.
 */
import type { Scope } from '../../../shared/scope.js';

/** One stored log event. */
export interface StoredLogEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
  logStreamName: string;
  /** Store-assigned, increasing: the event's position, used for tokens and ordering ties. */
  id: number;
}

export interface LogGroupRecord {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  storedBytes: number;
  tags: Record<string, string>;
}

export interface LogStreamRecord {
  logGroupName: string;
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

/** A batch of events for one stream of one scope, as written by the log sink or PutLogEvents. */
export interface LogBatch {
  scope: Scope;
  logGroupName: string;
  logStreamName: string;
  events: { timestamp: number; message: string }[];
}

export interface EventQuery {
  logGroupName: string;
  /** Only these streams (exact names); all when absent. */
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  /** Inclusive. */
  startTime?: number;
  /** Exclusive, as CloudWatch Logs. */
  endTime?: number;
  /** Resume after this event id (forward) or before it (backward). */
  afterId?: number;
  beforeId?: number;
  descending?: boolean;
  /** Only messages containing these substrings (case-sensitive), as a filter pattern's terms ask. */
  containing?: TextFilter;
  limit: number;
}

/** Substrings a log message must (or must not) contain; lets a store filter before reading rows out. */
export interface TextFilter {
  /** Every one of these. */
  all: string[];
  /** None of these. */
  none: string[];
  /** At least one of these, when there are any. */
  any: string[];
}

/** How ListStreams orders and pages. */
export interface StreamListing {
  prefix?: string;
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  offset: number;
  limit: number;
}

export interface LogStore {
  /** Creates the group if absent; false when it existed. */
  createGroup(scope: Scope, name: string, now: number): Promise<boolean>;
  getGroup(scope: Scope, name: string): Promise<LogGroupRecord | undefined>;
  listGroups(scope: Scope, prefix: string | undefined, afterName: string | undefined, limit: number): Promise<LogGroupRecord[]>;
  /** Deletes the group with its streams and events; false when it was absent. */
  deleteGroup(scope: Scope, name: string): Promise<boolean>;
  /** Creates the stream if absent; false when it existed or its group does not exist. */
  createStream(scope: Scope, group: string, name: string, now: number): Promise<boolean>;
  getStream(scope: Scope, group: string, name: string): Promise<LogStreamRecord | undefined>;
  listStreams(scope: Scope, group: string, listing: StreamListing): Promise<LogStreamRecord[]>;
  /** Appends batches in one transaction, creating missing groups and streams. */
  append(batches: LogBatch[], ingestionTime: number): Promise<void>;
  events(scope: Scope, query: EventQuery): Promise<StoredLogEvent[]>;
  /** Sets (or, with undefined, removes) a group's retention; false when the group is absent. */
  setRetention(scope: Scope, name: string, days: number | undefined): Promise<boolean>;
  /** Replaces a group's tags; false when the group is absent. */
  setTags(scope: Scope, name: string, tags: Record<string, string>): Promise<boolean>;
  /** Deletes events older than each group's retention, in every scope; returns how many went. */
  expire(now: number): Promise<number>;
}

/** CloudWatch Logs' whole slice. */
export interface LogsStore {
  logs: LogStore;
}
