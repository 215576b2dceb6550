/** One scope's provisioned concurrency settings in SQLite. */
import type Database from 'better-sqlite3';
import type { Scope } from '../../shared/scope.js';
import type { ProvisionedConfigRecord, ProvisionedConfigStore } from './provisioned-config-store.js';

type Row = Record<string, any>;
const SCOPE = 'account_id = ? AND region = ?';

/** A stored configuration. */
export const provisionedConfigOf = (r: Row): ProvisionedConfigRecord => ({
  functionName: r.function_name,
  qualifier: r.qualifier,
  requested: r.requested,
  lastModified: r.last_modified,
});

export class SqliteProvisionedConfigStore implements ProvisionedConfigStore {
  private readonly stmts;
  private readonly at: [string, string];

  constructor(db: Database.Database, scope: Scope) {
    this.at = [scope.accountId, scope.region];
    this.stmts = {
      get: db.prepare(`SELECT * FROM provisioned_configs WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      list: db.prepare(`SELECT * FROM provisioned_configs WHERE ${SCOPE} AND function_name = ? ORDER BY qualifier`),
      put: db.prepare(
        `INSERT INTO provisioned_configs (account_id, region, function_name, qualifier, requested, last_modified) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, function_name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified = excluded.last_modified`,
      ),
      delete: db.prepare(`DELETE FROM provisioned_configs WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      deleteAll: db.prepare(`DELETE FROM provisioned_configs WHERE ${SCOPE} AND function_name = ?`),
    };
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConfigRecord | undefined> {
    const row = this.stmts.get.get(...this.at, functionName, qualifier) as Row | undefined;
    return row ? provisionedConfigOf(row) : undefined;
  }

  async list(functionName: string): Promise<ProvisionedConfigRecord[]> {
    return (this.stmts.list.all(...this.at, functionName) as Row[]).map(provisionedConfigOf);
  }

  async put(c: ProvisionedConfigRecord): Promise<void> {
    this.stmts.put.run(...this.at, c.functionName, c.qualifier, c.requested, c.lastModified);
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(...this.at, functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.stmts.deleteAll.run(...this.at, functionName);
  }
}
