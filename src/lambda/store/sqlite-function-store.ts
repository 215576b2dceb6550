/**
 * FunctionStore on SQLite for one scope: every statement names the scope's account and region.
 * Records are JSON; the columns are what queries select and compare on. SQL that PostgreSQL can
 * also run, but for the DDL (lambda-slice.ts).
 */
import type Database from 'better-sqlite3';
import type { Scope } from '../../shared/scope.js';
import type { AliasRecord, FunctionRecord, FunctionStore, PolicyRecord } from './function-store.js';

type Row = Record<string, any>;
const SCOPE = 'account_id = ? AND region = ?';

export class SqliteFunctionStore implements FunctionStore {
  private readonly stmts;
  private readonly publishTx: (record: FunctionRecord) => FunctionRecord;
  private readonly deleteAllTx: (name: string) => number;
  private readonly at: [string, string];

  constructor(db: Database.Database, scope: Scope) {
    this.at = [scope.accountId, scope.region];
    this.stmts = {
      get: db.prepare(`SELECT data FROM functions WHERE ${SCOPE} AND name = ? AND version = ?`),
      list: db.prepare(`SELECT data FROM functions WHERE ${SCOPE} AND version = '$LATEST' AND name > ? ORDER BY name LIMIT ?`),
      versions: db.prepare(
        `SELECT data FROM functions WHERE ${SCOPE} AND name = ?
         ORDER BY CASE WHEN version = '$LATEST' THEN -1 ELSE CAST(version AS INTEGER) END`,
      ),
      insert: db.prepare(
        `INSERT INTO functions (account_id, region, name, version, revision_id, code_size, data) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, name, version) DO NOTHING`,
      ),
      replace: db.prepare(`UPDATE functions SET revision_id = ?, code_size = ?, data = ? WHERE ${SCOPE} AND name = ? AND version = ? AND revision_id = ?`),
      nextVersion: db.prepare(
        `INSERT INTO function_version_counters (account_id, region, name, last_version) VALUES (?, ?, ?, 1)
         ON CONFLICT (account_id, region, name) DO UPDATE SET last_version = function_version_counters.last_version + 1 RETURNING last_version`,
      ),
      deleteVersion: db.prepare(`DELETE FROM functions WHERE ${SCOPE} AND name = ? AND version = ? AND version != '$LATEST'`),
      deleteAll: db.prepare(`DELETE FROM functions WHERE ${SCOPE} AND name = ?`),
      deleteCounter: db.prepare(`DELETE FROM function_version_counters WHERE ${SCOPE} AND name = ?`),
      deleteAliases: db.prepare(`DELETE FROM function_aliases WHERE ${SCOPE} AND function_name = ?`),
      usage: db.prepare(`SELECT COUNT(DISTINCT name) AS functionCount, COALESCE(SUM(code_size), 0) AS totalCodeSize FROM functions WHERE ${SCOPE}`),
      aliases: db.prepare(`SELECT data FROM function_aliases WHERE ${SCOPE} AND function_name = ? ORDER BY name`),
      insertAlias: db.prepare(
        `INSERT INTO function_aliases (account_id, region, function_name, name, revision_id, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, function_name, name) DO NOTHING`,
      ),
      replaceAlias: db.prepare(`UPDATE function_aliases SET revision_id = ?, data = ? WHERE ${SCOPE} AND function_name = ? AND name = ? AND revision_id = ?`),
      deleteAlias: db.prepare(`DELETE FROM function_aliases WHERE ${SCOPE} AND function_name = ? AND name = ?`),
      getPolicy: db.prepare(`SELECT data FROM function_policies WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      insertPolicy: db.prepare(
        `INSERT INTO function_policies (account_id, region, function_name, qualifier, revision_id, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, function_name, qualifier) DO NOTHING`,
      ),
      replacePolicy: db.prepare(`UPDATE function_policies SET revision_id = ?, data = ? WHERE ${SCOPE} AND function_name = ? AND qualifier = ? AND revision_id = ?`),
      deletePolicy: db.prepare(`DELETE FROM function_policies WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      deletePolicies: db.prepare(`DELETE FROM function_policies WHERE ${SCOPE} AND function_name = ?`),
    };
    this.publishTx = db.transaction((record: FunctionRecord) => {
      const n = (this.stmts.nextVersion.get(...this.at, record.name) as Row).last_version as number;
      const published = { ...record, version: String(n) };
      this.insertRecord(published);
      return published;
    });
    this.deleteAllTx = db.transaction((name: string) => {
      const gone = this.stmts.deleteAll.run(...this.at, name).changes;
      this.stmts.deleteCounter.run(...this.at, name);
      this.stmts.deleteAliases.run(...this.at, name);
      this.stmts.deletePolicies.run(...this.at, name);
      return gone;
    });
  }

  async get(name: string, version: string): Promise<FunctionRecord | undefined> {
    const row = this.stmts.get.get(...this.at, name, version) as Row | undefined;
    return row ? (JSON.parse(row.data) as FunctionRecord) : undefined;
  }

  async listLatest(afterName: string | undefined, limit: number): Promise<FunctionRecord[]> {
    return (this.stmts.list.all(...this.at, afterName ?? '', limit) as Row[]).map((r) => JSON.parse(r.data) as FunctionRecord);
  }

  async listVersions(name: string): Promise<FunctionRecord[]> {
    return (this.stmts.versions.all(...this.at, name) as Row[]).map((r) => JSON.parse(r.data) as FunctionRecord);
  }

  async create(record: FunctionRecord): Promise<boolean> {
    return this.insertRecord(record);
  }

  async publishVersion(record: FunctionRecord): Promise<FunctionRecord> {
    return this.publishTx(record);
  }

  async replace(record: FunctionRecord, expectedRevisionId: string): Promise<boolean> {
    const info = this.stmts.replace.run(record.revisionId, record.codeSize, JSON.stringify(record), ...this.at, record.name, record.version, expectedRevisionId);
    return info.changes === 1;
  }

  async deleteVersion(name: string, version: string): Promise<boolean> {
    const gone = this.stmts.deleteVersion.run(...this.at, name, version).changes === 1;
    if (gone) this.stmts.deletePolicy.run(...this.at, name, version);
    return gone;
  }

  async deleteAll(name: string): Promise<number> {
    return this.deleteAllTx(name);
  }

  async usage(): Promise<{ functionCount: number; totalCodeSize: number }> {
    const row = this.stmts.usage.get(...this.at) as Row;
    return { functionCount: row.functionCount, totalCodeSize: row.totalCodeSize };
  }

  async listAliases(functionName: string): Promise<AliasRecord[]> {
    return (this.stmts.aliases.all(...this.at, functionName) as Row[]).map((r) => JSON.parse(r.data) as AliasRecord);
  }

  async createAlias(alias: AliasRecord): Promise<boolean> {
    return this.stmts.insertAlias.run(...this.at, alias.functionName, alias.name, alias.revisionId, JSON.stringify(alias)).changes === 1;
  }

  async replaceAlias(alias: AliasRecord, expectedRevisionId: string): Promise<boolean> {
    const info = this.stmts.replaceAlias.run(alias.revisionId, JSON.stringify(alias), ...this.at, alias.functionName, alias.name, expectedRevisionId);
    return info.changes === 1;
  }

  async deleteAlias(functionName: string, name: string): Promise<boolean> {
    const gone = this.stmts.deleteAlias.run(...this.at, functionName, name).changes === 1;
    this.stmts.deletePolicy.run(...this.at, functionName, name);
    return gone;
  }

  async getPolicy(functionName: string, qualifier: string): Promise<PolicyRecord | undefined> {
    const row = this.stmts.getPolicy.get(...this.at, functionName, qualifier) as Row | undefined;
    return row ? (JSON.parse(row.data) as PolicyRecord) : undefined;
  }

  async savePolicy(policy: PolicyRecord, expectedRevisionId: string | null): Promise<boolean> {
    const data = JSON.stringify(policy);
    const info =
      expectedRevisionId === null
        ? this.stmts.insertPolicy.run(...this.at, policy.functionName, policy.qualifier, policy.revisionId, data)
        : this.stmts.replacePolicy.run(policy.revisionId, data, ...this.at, policy.functionName, policy.qualifier, expectedRevisionId);
    return info.changes === 1;
  }

  async deletePolicy(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.deletePolicy.run(...this.at, functionName, qualifier).changes === 1;
  }

  private insertRecord(record: FunctionRecord): boolean {
    return this.stmts.insert.run(...this.at, record.name, record.version, record.revisionId, record.codeSize, JSON.stringify(record)).changes === 1;
  }
}
