/** One scope's layer versions and their policies in SQLite: one row each, the record as JSON. */
import type Database from 'better-sqlite3';
import type { Scope } from '../../shared/scope.js';
import type { LayerPolicyRecord, LayerStore, LayerVersionRecord } from './layer-store.js';

type Row = { data: string };
const parse = (row: Row): LayerVersionRecord => JSON.parse(row.data) as LayerVersionRecord;
const SCOPE = 'account_id = ? AND region = ?';

export class SqliteLayerStore implements LayerStore {
  private readonly stmts;
  private readonly publishTx: (record: Omit<LayerVersionRecord, 'version'>) => LayerVersionRecord;
  private readonly deleteTx: (layerName: string, version: number) => boolean;
  private readonly at: [string, string];

  constructor(db: Database.Database, scope: Scope) {
    this.at = [scope.accountId, scope.region];
    this.stmts = {
      nextVersion: db.prepare(
        `INSERT INTO layer_version_counters (account_id, region, layer_name, last_version) VALUES (?, ?, ?, 1)
         ON CONFLICT (account_id, region, layer_name) DO UPDATE SET last_version = layer_version_counters.last_version + 1 RETURNING last_version`,
      ),
      insert: db.prepare('INSERT INTO layer_versions (account_id, region, layer_name, version, data) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare(`SELECT data FROM layer_versions WHERE ${SCOPE} AND layer_name = ? AND version = ?`),
      versions: db.prepare(`SELECT data FROM layer_versions WHERE ${SCOPE} AND layer_name = ? ORDER BY version DESC`),
      all: db.prepare(`SELECT data FROM layer_versions WHERE ${SCOPE} AND layer_name > ? ORDER BY layer_name, version DESC`),
      delete: db.prepare(`DELETE FROM layer_versions WHERE ${SCOPE} AND layer_name = ? AND version = ?`),
      getPolicy: db.prepare(`SELECT data FROM layer_version_policies WHERE ${SCOPE} AND layer_name = ? AND version = ?`),
      insertPolicy: db.prepare(
        `INSERT INTO layer_version_policies (account_id, region, layer_name, version, revision_id, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, layer_name, version) DO NOTHING`,
      ),
      replacePolicy: db.prepare(
        `UPDATE layer_version_policies SET revision_id = ?, data = ? WHERE ${SCOPE} AND layer_name = ? AND version = ? AND revision_id = ?`,
      ),
      deletePolicy: db.prepare(`DELETE FROM layer_version_policies WHERE ${SCOPE} AND layer_name = ? AND version = ?`),
    };
    this.publishTx = db.transaction((record: Omit<LayerVersionRecord, 'version'>) => {
      const version = (this.stmts.nextVersion.get(...this.at, record.layerName) as { last_version: number }).last_version;
      const published: LayerVersionRecord = { ...record, version };
      this.stmts.insert.run(...this.at, record.layerName, version, JSON.stringify(published));
      return published;
    });
    this.deleteTx = db.transaction((layerName: string, version: number) => {
      this.stmts.deletePolicy.run(...this.at, layerName, version);
      return this.stmts.delete.run(...this.at, layerName, version).changes === 1;
    });
  }

  async publish(record: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord> {
    return this.publishTx(record);
  }

  async get(layerName: string, version: number): Promise<LayerVersionRecord | undefined> {
    const row = this.stmts.get.get(...this.at, layerName, version) as Row | undefined;
    return row ? parse(row) : undefined;
  }

  async listVersions(layerName: string): Promise<LayerVersionRecord[]> {
    return (this.stmts.versions.all(...this.at, layerName) as Row[]).map(parse);
  }

  async listAll(afterName: string | undefined): Promise<LayerVersionRecord[]> {
    return (this.stmts.all.all(...this.at, afterName ?? '') as Row[]).map(parse);
  }

  async deleteVersion(layerName: string, version: number): Promise<boolean> {
    return this.deleteTx(layerName, version);
  }

  async getPolicy(layerName: string, version: number): Promise<LayerPolicyRecord | undefined> {
    const row = this.stmts.getPolicy.get(...this.at, layerName, version) as Row | undefined;
    return row ? (JSON.parse(row.data) as LayerPolicyRecord) : undefined;
  }

  async savePolicy(policy: LayerPolicyRecord, expectedRevisionId: string | null): Promise<boolean> {
    const data = JSON.stringify(policy);
    const info =
      expectedRevisionId === null
        ? this.stmts.insertPolicy.run(...this.at, policy.layerName, policy.version, policy.revisionId, data)
        : this.stmts.replacePolicy.run(policy.revisionId, data, ...this.at, policy.layerName, policy.version, expectedRevisionId);
    return info.changes === 1;
  }

  async deletePolicy(layerName: string, version: number): Promise<boolean> {
    return this.stmts.deletePolicy.run(...this.at, layerName, version).changes === 1;
  }
}
