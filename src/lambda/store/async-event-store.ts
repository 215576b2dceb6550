/**
 * The durable queue behind asynchronous invocation. An event is acknowledged (202) only after
 * `enqueue` resolves; a dispatcher `claim`s due events under a lease, so events whose node
 * died mid-flight are claimed again once the lease lapses (at-least-once, as AWS promises).
 * One queue for every scope: each event carries the account and region of its function.
 */
import type { Scope } from '../../shared/scope.js';

export interface AsyncEventRecord extends Scope {
  /** The request id the caller got back; also the event's key. */
  id: string;
  functionName: string;
  /** `$LATEST`, a version or an alias, as invoked. */
  qualifier: string;
  payload: Buffer;
  /** When the event was accepted (epoch ms). */
  receivedAt: number;
  /** Attempts that ran the function. */
  attempts: number;
  /** Consecutive throttles, for back-off. */
  throttles: number;
  /** When the event may next run. */
  dueAt: number;
  traceId?: string;
}

export interface AsyncEventStore {
  /** Stores a new event; durable once resolved. */
  enqueue(event: AsyncEventRecord): Promise<void>;
  /**
   * Takes up to `limit` events due at `now` (oldest first) whose lease is free or lapsed, and
   * leases them to `owner` until `now + leaseMs`.
   */
  claim(now: number, leaseMs: number, limit: number, owner: string): Promise<AsyncEventRecord[]>;
  /**
   * Frees every lease `owner` holds: a node that restarts after a crash takes its own
   * mid-flight events back at once instead of waiting for their leases to lapse.
   */
  releaseOwned(owner: string): Promise<number>;
  /** Puts a claimed event back to run at `dueAt`, with its new counts, and frees its lease. */
  reschedule(id: string, dueAt: number, attempts: number, throttles: number): Promise<void>;
  /** Forgets an event that is done (succeeded, or sent to its failure destination). */
  remove(id: string): Promise<void>;
  /** Events waiting or running. */
  depth(): Promise<number>;
}

/** Per function and qualifier settings of asynchronous invocation (FunctionEventInvokeConfig), within one scope. */
export interface EventInvokeConfigRecord {
  functionName: string;
  /** `$LATEST`, a version or an alias. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  lastModified: number;
}

export interface EventInvokeConfigStore {
  get(functionName: string, qualifier: string): Promise<EventInvokeConfigRecord | undefined>;
  list(functionName: string): Promise<EventInvokeConfigRecord[]>;
  put(config: EventInvokeConfigRecord): Promise<void>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
  /** Removes every configuration of a deleted function. */
  deleteAll(functionName: string): Promise<void>;
}
