/** Provisioned concurrency settings per published version or alias of one scope (what was requested). */

export interface ProvisionedConfigRecord {
  functionName: string;
  /** A version number or an alias name ($LATEST cannot be provisioned). */
  qualifier: string;
  requested: number;
  lastModified: number;
}

export interface ProvisionedConfigStore {
  get(functionName: string, qualifier: string): Promise<ProvisionedConfigRecord | undefined>;
  list(functionName: string): Promise<ProvisionedConfigRecord[]>;
  put(config: ProvisionedConfigRecord): Promise<void>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
  deleteAll(functionName: string): Promise<void>;
}
