/** Function URL configurations in SQLite: one row per function and qualifier, the record as JSON. */
import type Database from 'better-sqlite3';
import type { FunctionUrlConfigRecord, FunctionUrlStore } from '../function-url-store.js';

type Row = { data: string };
const parse = (row: Row): FunctionUrlConfigRecord => JSON.parse(row.data) as FunctionUrlConfigRecord;

export class SqliteFunctionUrlStore implements FunctionUrlStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT data FROM function_url_configs WHERE function_name = ? AND qualifier = ?'),
      list: db.prepare('SELECT data FROM function_url_configs WHERE function_name = ? ORDER BY qualifier'),
      listAll: db.prepare('SELECT data FROM function_url_configs'),
      insert: db.prepare(
        'INSERT OR IGNORE INTO function_url_configs (function_name, qualifier, url_id, data) VALUES (?, ?, ?, ?)',
      ),
      replace: db.prepare('UPDATE function_url_configs SET data = ? WHERE function_name = ? AND qualifier = ?'),
      delete: db.prepare('DELETE FROM function_url_configs WHERE function_name = ? AND qualifier = ?'),
      deleteAll: db.prepare('DELETE FROM function_url_configs WHERE function_name = ?'),
    };
  }

  async get(functionName: string, qualifier: string): Promise<FunctionUrlConfigRecord | undefined> {
    const row = this.stmts.get.get(functionName, qualifier) as Row | undefined;
    return row ? parse(row) : undefined;
  }

  async list(functionName: string): Promise<FunctionUrlConfigRecord[]> {
    return (this.stmts.list.all(functionName) as Row[]).map(parse);
  }

  async listAll(): Promise<FunctionUrlConfigRecord[]> {
    return (this.stmts.listAll.all() as Row[]).map(parse);
  }

  async create(c: FunctionUrlConfigRecord): Promise<boolean> {
    return this.stmts.insert.run(c.functionName, c.qualifier, c.urlId, JSON.stringify(c)).changes === 1;
  }

  async replace(c: FunctionUrlConfigRecord): Promise<boolean> {
    return this.stmts.replace.run(JSON.stringify(c), c.functionName, c.qualifier).changes === 1;
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.stmts.deleteAll.run(functionName);
  }
}
