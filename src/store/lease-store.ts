/**
 * Cluster leases: a named job held by one node until an expiry it keeps renewing. A worker that
 * must run once per cluster (server/worker-runner.ts) runs only while its node holds the lease;
 * when the node dies the lease expires and another node takes it over.
 */
export interface LeaseStore {
  /**
   * Takes `name` for `owner`, or renews it, until `now + ttlMs`; false when another owner holds
   * it and its lease has not expired. One statement, so two nodes can never both succeed.
   */
  acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, when `owner` holds it, so another node need not wait for the expiry. */
  release(name: string, owner: string): Promise<void>;
  /** Who holds `name` at `now`, if anyone. */
  holder(name: string, now: number): Promise<string | undefined>;
}
