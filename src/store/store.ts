/**
 * The one persistence interface. SQLite (embedded default) implements it today; a PostgreSQL
 * implementation for clusters will pass the same behaviour suite (store.case.ts). Methods are
 * async so that a networked store fits behind the same interface.
 *
 * The store holds plain records; what they mean belongs to the modules that own them.
 */

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
  logGroup: string;
  tags: Record<string, string>;
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
  limit: number;
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
  /** Deletes every version of the function; returns how many records went. */
  deleteAll(name: string): Promise<number>;
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
}

export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface Store {
  functions: FunctionStore;
  logs: LogStore;
  settings: SettingsStore;
  close(): Promise<void>;
}
