/** One scope's function URL configurations in SQLite: one row per function and qualifier, the record as JSON. */
import type Database from 'better-sqlite3';
import type { Scope } from '../../shared/scope.js';
import type { FunctionUrlConfigRecord, FunctionUrlStore } from './function-url-store.js';

type Row = { data: string; account_id: string; region: string };
const SCOPE = 'account_id = ? AND region = ?';

/** A stored configuration with the scope of its row. */
export const urlConfigOf = (row: Row): FunctionUrlConfigRecord => ({ ...(JSON.parse(row.data) as FunctionUrlConfigRecord), accountId: row.account_id, region: row.region });

export class SqliteFunctionUrlStore implements FunctionUrlStore {
  private readonly stmts;
  private readonly at: [string, string];

  constructor(db: Database.Database, scope: Scope) {
    this.at = [scope.accountId, scope.region];
    this.stmts = {
      get: db.prepare(`SELECT * FROM function_url_configs WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      list: db.prepare(`SELECT * FROM function_url_configs WHERE ${SCOPE} AND function_name = ? ORDER BY qualifier`),
      insert: db.prepare(
        `INSERT INTO function_url_configs (account_id, region, function_name, qualifier, url_id, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      replace: db.prepare(`UPDATE function_url_configs SET data = ? WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      delete: db.prepare(`DELETE FROM function_url_configs WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      deleteAll: db.prepare(`DELETE FROM function_url_configs WHERE ${SCOPE} AND function_name = ?`),
    };
  }

  async get(functionName: string, qualifier: string): Promise<FunctionUrlConfigRecord | undefined> {
    const row = this.stmts.get.get(...this.at, functionName, qualifier) as Row | undefined;
    return row ? urlConfigOf(row) : undefined;
  }

  async list(functionName: string): Promise<FunctionUrlConfigRecord[]> {
    return (this.stmts.list.all(...this.at, functionName) as Row[]).map(urlConfigOf);
  }

  async create(c: FunctionUrlConfigRecord): Promise<boolean> {
    return this.stmts.insert.run(...this.at, c.functionName, c.qualifier, c.urlId, JSON.stringify(c)).changes === 1;
  }

  async replace(c: FunctionUrlConfigRecord): Promise<boolean> {
    return this.stmts.replace.run(JSON.stringify(c), ...this.at, c.functionName, c.qualifier).changes === 1;
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(...this.at, functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.stmts.deleteAll.run(...this.at, functionName);
  }
}
