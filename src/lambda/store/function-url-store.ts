/**
 * Function URL configurations (CreateFunctionUrlConfig), one per function and qualifier. The
 * URL's id is derived from the function and qualifier, so it is stable across delete/recreate
 * (as AWS's, which is deterministic too). The store is one scope's; every scope's configurations
 * are read at start-up through the slice (lambda-store.ts).
 */
import type { Scope } from '../../shared/scope.js';

/** AWS's `Cors` shape, stored as given. */
export interface FunctionUrlCors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

/** A configuration, with the account and region of its function (the URL route serves every scope). */
export interface FunctionUrlConfigRecord extends Scope {
  functionName: string;
  /** `$LATEST` for the unqualified function, else an alias name (never a version number). */
  qualifier: string;
  /** 32 lowercase alphanumerics: the URL's host label and the event's `apiId`. */
  urlId: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: FunctionUrlCors;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
}

export interface FunctionUrlStore {
  get(functionName: string, qualifier: string): Promise<FunctionUrlConfigRecord | undefined>;
  /** The function's configurations ordered by qualifier. */
  list(functionName: string): Promise<FunctionUrlConfigRecord[]>;
  /** Inserts; false when the function and qualifier already have one. */
  create(config: FunctionUrlConfigRecord): Promise<boolean>;
  /** Replaces an existing configuration; false when there is none. */
  replace(config: FunctionUrlConfigRecord): Promise<boolean>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
  /** Removes every configuration of a deleted function. */
  deleteAll(functionName: string): Promise<void>;
}
