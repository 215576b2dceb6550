/**
 * Lambda's functions in the store, within one scope (account and region): each version's record
 * (`$LATEST` and published versions), aliases, version counters that never go back, and the
 * resource-based policy of the function, a version or an alias.
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
