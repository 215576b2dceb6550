/** SQLite implementation of the provisioned concurrency settings. */
import type Database from 'better-sqlite3';
import type { ProvisionedConfigRecord, ProvisionedConfigStore } from '../provisioned-config-store.js';

type Row = Record<string, any>;

const toRecord = (r: Row): ProvisionedConfigRecord => ({
  functionName: r.function_name,
  qualifier: r.qualifier,
  requested: r.requested,
  lastModified: r.last_modified,
});

export class SqliteProvisionedConfigStore implements ProvisionedConfigStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT * FROM provisioned_configs WHERE function_name = ? AND qualifier = ?'),
      list: db.prepare('SELECT * FROM provisioned_configs WHERE function_name = ? ORDER BY qualifier'),
      all: db.prepare('SELECT * FROM provisioned_configs ORDER BY function_name, qualifier'),
      put: db.prepare(
        `INSERT INTO provisioned_configs (function_name, qualifier, requested, last_modified) VALUES (?, ?, ?, ?)
         ON CONFLICT (function_name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified = excluded.last_modified`,
      ),
      delete: db.prepare('DELETE FROM provisioned_configs WHERE function_name = ? AND qualifier = ?'),
      deleteAll: db.prepare('DELETE FROM provisioned_configs WHERE function_name = ?'),
    };
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConfigRecord | undefined> {
    const row = this.stmts.get.get(functionName, qualifier) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  async list(functionName: string): Promise<ProvisionedConfigRecord[]> {
    return (this.stmts.list.all(functionName) as Row[]).map(toRecord);
  }

  async all(): Promise<ProvisionedConfigRecord[]> {
    return (this.stmts.all.all() as Row[]).map(toRecord);
  }

  async put(c: ProvisionedConfigRecord): Promise<void> {
    this.stmts.put.run(c.functionName, c.qualifier, c.requested, c.lastModified);
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.stmts.deleteAll.run(functionName);
  }
}
