/**
 * Lambda layers (PublishLayerVersion) of one scope: numbered, immutable versions of a named layer, and one
 * resource-based policy per version (AddLayerVersionPermission). A layer's version numbers come
 * from a counter that never goes back, so a deleted version's number is never reused, even
 * when every version of the layer was deleted (as Lambda).
 */

/** One published layer version. Its content lives in the code store under `codeSha256`. */
export interface LayerVersionRecord {
  layerName: string;
  version: number;
  description: string;
  licenseInfo?: string;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  /** Lowercase hex SHA-256 of the zip: its key in the code store. */
  codeSha256: string;
  /** Zip size in bytes. */
  codeSize: number;
  /** Extracted size in bytes: counts towards a function's 250 MB. */
  unzippedSize: number;
  /** Epoch milliseconds. */
  createdDate: number;
}

/** The resource-based policy of one layer version. */
export interface LayerPolicyRecord {
  layerName: string;
  version: number;
  /** Statements exactly as GetLayerVersionPolicy returns them, in the order they were added. */
  statements: Record<string, unknown>[];
  revisionId: string;
}

export interface LayerStore {
  /** Stores `record` as the layer's next version number and returns it with that number. */
  publish(record: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord>;
  get(layerName: string, version: number): Promise<LayerVersionRecord | undefined>;
  /** Every version of one layer, newest first. */
  listVersions(layerName: string): Promise<LayerVersionRecord[]>;
  /** Every version of every layer named after `afterName`, by layer name, then newest first. */
  listAll(afterName: string | undefined): Promise<LayerVersionRecord[]>;
  /** Deletes one version and its policy; false when it did not exist. */
  deleteVersion(layerName: string, version: number): Promise<boolean>;
  getPolicy(layerName: string, version: number): Promise<LayerPolicyRecord | undefined>;
  /**
   * Writes a policy if the stored one's revisionId equals `expectedRevisionId`, or, with `null`,
   * if none is stored; false otherwise.
   */
  savePolicy(policy: LayerPolicyRecord, expectedRevisionId: string | null): Promise<boolean>;
  /** Deletes a policy (its last statement went); false when there was none. */
  deletePolicy(layerName: string, version: number): Promise<boolean>;
}
