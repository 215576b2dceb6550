/**
 * The one persistence interface. SQLite (embedded default) implements it today; a PostgreSQL
 * implementation for clusters will pass the same behaviour suite (store.case.ts). Methods are
 * async so that a networked store fits behind the same interface.
 *
 * The store holds plain records; what they mean belongs to the modules that own them.
 */
import type { AsyncEventStore, EventInvokeConfigStore } from './async-event-store.js';
import type { ProvisionedConfigStore } from './provisioned-config-store.js';
import type { FunctionUrlStore } from './function-url-store.js';
import type { LayerStore } from './layer-store.js';
import type { AlarmStore } from './alarm-store.js';
import type { LeaseStore } from './lease-store.js';

/** One function version's stored state (`$LATEST` or a published version). */
export interface FunctionRecord {
  name: string;
  version: string;
  revisionId: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  ephemeralStorage: number;
  architectures: string[];
  environment: Record<string, string>;
  /** Lowercase hex SHA-256 of the code zip: its key in the code store. */
  codeSha256: string;
  codeSize: number;
  /** Milliseconds since the epoch. */
  lastModified: number;
  packageType: 'Zip';
  tracingMode: 'PassThrough' | 'Active';
  logFormat: 'Text' | 'JSON';
  /** LoggingConfig.ApplicationLogLevel / SystemLogLevel; JSON format only, as on AWS. */
  applicationLogLevel?: string;
  systemLogLevel?: string;
  logGroup: string;
  tags: Record<string, string>;
  /** PutFunctionConcurrency; kept on `$LATEST` (it applies to the whole function). */
  reservedConcurrency?: number;
  /** DeadLetterConfig.TargetArn (an SQS queue or SNS topic). */
  deadLetterTargetArn?: string;
  /** Layers, in the order they are extracted under /opt; absent when none. */
  layers?: FunctionLayer[];
}

/** One layer version a function uses, with what running it needs. */
export interface FunctionLayer {
  /** The layer version ARN, as FunctionConfiguration.Layers shows it. */
  arn: string;
  /** Lowercase hex SHA-256 of the layer's zip: its key in the code store. */
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
}

/**
 * One alias of a function: a name that points at a version, optionally routing a share of
 * invokes to one additional version (AliasRoutingConfiguration).
 */
export interface AliasRecord {
  functionName: string;
  name: string;
  /** `$LATEST` or a published version number. */
  functionVersion: string;
  description: string;
  /** AdditionalVersionWeights: version number → share of invokes (0..1). Empty when unrouted. */
  additionalVersionWeights: Record<string, number>;
  revisionId: string;
}

/** The resource-based policy of a function (`$LATEST` key: unqualified), a version or an alias. */
export interface PolicyRecord {
  functionName: string;
  /** `$LATEST` for the unqualified function, else the version number or alias name. */
  qualifier: string;
  /** Policy statements exactly as GetPolicy returns them, in the order they were added. */
  statements: Record<string, unknown>[];
  revisionId: string;
}

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

/** A batch of events for one stream, as written by the log sink or PutLogEvents. */
export interface LogBatch {
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

export interface FunctionStore {
  get(name: string, version: string): Promise<FunctionRecord | undefined>;
  /** `$LATEST` records ordered by name, starting after `afterName`. */
  listLatest(afterName: string | undefined, limit: number): Promise<FunctionRecord[]>;
  /** Inserts; returns false when the (name, version) already exists. */
  create(record: FunctionRecord): Promise<boolean>;
  /**
   * Replaces the record if its stored revisionId equals `expectedRevisionId`; returns false
   * otherwise (optimistic concurrency: two concurrent updates cannot both win).
   */
  replace(record: FunctionRecord, expectedRevisionId: string): Promise<boolean>;
  /** `$LATEST` and every published version of one function: `$LATEST` first, then by number. */
  listVersions(name: string): Promise<FunctionRecord[]>;
  /**
   * Stores `record` as the function's next version number and returns it with that number.
   * Numbers come from a per-function counter that never goes back, so a deleted version's
   * number is never reused (as Lambda); deleting the whole function resets it.
   */
  publishVersion(record: FunctionRecord): Promise<FunctionRecord>;
  /** Deletes one published version; false when it did not exist. */
  deleteVersion(name: string, version: string): Promise<boolean>;
  /** Deletes every version, alias and the version counter of the function; returns how many versions went. */
  deleteAll(name: string): Promise<number>;
  /** The function's aliases ordered by name. */
  listAliases(functionName: string): Promise<AliasRecord[]>;
  /** Inserts; returns false when the alias already exists. */
  createAlias(alias: AliasRecord): Promise<boolean>;
  /** Replaces the alias if its stored revisionId equals `expectedRevisionId`. */
  replaceAlias(alias: AliasRecord, expectedRevisionId: string): Promise<boolean>;
  /** Deletes one alias; false when it did not exist. */
  deleteAlias(functionName: string, name: string): Promise<boolean>;
  getPolicy(functionName: string, qualifier: string): Promise<PolicyRecord | undefined>;
  /**
   * Writes a policy if the stored one's revisionId equals `expectedRevisionId`, or, with `null`,
   * if none is stored; false otherwise. Deleting the function, version or alias drops its policy.
   */
  savePolicy(policy: PolicyRecord, expectedRevisionId: string | null): Promise<boolean>;
  /** Deletes a policy (its last statement went); false when there was none. */
  deletePolicy(functionName: string, qualifier: string): Promise<boolean>;
  /** Total code size and function count, for GetAccountSettings. */
  usage(): Promise<{ functionCount: number; totalCodeSize: number }>;
}

export interface LogStore {
  /** Creates the group if absent; false when it existed. */
  createGroup(name: string, now: number): Promise<boolean>;
  getGroup(name: string): Promise<LogGroupRecord | undefined>;
  listGroups(prefix: string | undefined, afterName: string | undefined, limit: number): Promise<LogGroupRecord[]>;
  deleteGroup(name: string): Promise<boolean>;
  /** Creates the stream if absent; false when it existed. The group must exist. */
  createStream(group: string, name: string, now: number): Promise<boolean>;
  getStream(group: string, name: string): Promise<LogStreamRecord | undefined>;
  listStreams(
    group: string,
    options: { prefix?: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; offset: number; limit: number },
  ): Promise<LogStreamRecord[]>;
  /** Appends batches in one transaction, creating missing groups and streams. */
  append(batches: LogBatch[], ingestionTime: number): Promise<void>;
  events(query: EventQuery): Promise<StoredLogEvent[]>;
  /** Sets (or, with undefined, removes) a group's retention; false when the group is absent. */
  setRetention(name: string, days: number | undefined): Promise<boolean>;
  /** Replaces a group's tags; false when the group is absent. */
  setTags(name: string, tags: Record<string, string>): Promise<boolean>;
  /** Deletes events older than each group's retention; returns how many went. */
  expire(now: number): Promise<number>;
}

export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

import type { MetricStore } from './metric-store.js';
export type { MetricDimension, MetricDimensionFilter, MetricIdentity, MetricListQuery, MetricPoint, MetricStore } from './metric-store.js';

export interface Store {
  functions: FunctionStore;
  logs: LogStore;
  settings: SettingsStore;
  /** CloudWatch metrics (metric-store.ts). */
  metrics: MetricStore;
  asyncEvents: AsyncEventStore;
  eventInvokeConfigs: EventInvokeConfigStore;
  provisionedConfigs: ProvisionedConfigStore;
  /** Function URL configurations (function-url-store.ts). */
  functionUrls: FunctionUrlStore;
  /** Layer versions and their policies (layer-store.ts). */
  layers: LayerStore;
  /** CloudWatch metric alarms and their history (alarm-store.ts). */
  alarms: AlarmStore;
  /** Cluster leases of once-per-cluster workers (lease-store.ts). */
  leases: LeaseStore;
  close(): Promise<void>;
}
