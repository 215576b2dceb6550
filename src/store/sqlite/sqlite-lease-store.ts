/** Leases in SQLite (`leases`), in SQL PostgreSQL runs as written: one upsert decides the holder. */
import type Database from 'better-sqlite3';
import type { LeaseStore } from '../lease-store.js';

export class SqliteLeaseStore implements LeaseStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      // Inserted when free; updated only when expired or already ours. RETURNING yields a row
      // exactly when this owner holds the lease afterwards.
      acquire: db.prepare(
        `INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE leases.owner = excluded.owner OR leases.expires_at <= ?
         RETURNING owner`,
      ),
      release: db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?'),
      holder: db.prepare('SELECT owner FROM leases WHERE name = ? AND expires_at > ?'),
    };
  }

  async acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.stmts.acquire.get(name, owner, now + ttlMs, now) !== undefined;
  }

  async release(name: string, owner: string): Promise<void> {
    this.stmts.release.run(name, owner);
  }

  async holder(name: string, now: number): Promise<string | undefined> {
    return (this.stmts.holder.get(name, now) as { owner: string } | undefined)?.owner;
  }
}
