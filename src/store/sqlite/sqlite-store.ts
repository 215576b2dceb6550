/**
 * The embedded store: one SQLite file in the data directory (better-sqlite3, WAL mode).
 * better-sqlite3 is synchronous; the async interface keeps callers ready for PostgreSQL.
 */
import Database from 'better-sqlite3';
import type {
  AliasRecord,
  EventQuery,
  FunctionRecord,
  FunctionStore,
  LogBatch,
  LogGroupRecord,
  LogStore,
  LogStreamRecord,
  PolicyRecord,
  SettingsStore,
  Store,
  StoredLogEvent,
} from '../store.js';
import type { AsyncEventStore, EventInvokeConfigStore } from '../async-event-store.js';
import { SqliteAsyncEventStore, SqliteEventInvokeConfigStore } from './sqlite-async-event-store.js';
import type { ProvisionedConfigStore } from '../provisioned-config-store.js';
import { SqliteProvisionedConfigStore } from './sqlite-provisioned-config-store.js';
import type { FunctionUrlStore } from '../function-url-store.js';
import { SqliteFunctionUrlStore } from './sqlite-function-url-store.js';
import type { LayerStore } from '../layer-store.js';
import { SqliteLayerStore } from './sqlite-layer-store.js';
import { SqliteMetricStore } from './sqlite-metric-store.js';
import type { AlarmStore } from '../alarm-store.js';
import { SqliteAlarmStore } from './sqlite-alarm-store.js';
import { MIGRATIONS } from './schema.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';
import type { LeaseStore } from '../lease-store.js';

type Row = Record<string, any>;

export class SqliteStore implements Store {
  readonly functions: FunctionStore;
  readonly logs: LogStore;
  readonly settings: SettingsStore;
  readonly metrics: SqliteMetricStore;
  readonly asyncEvents: AsyncEventStore;
  readonly eventInvokeConfigs: EventInvokeConfigStore;
  readonly provisionedConfigs: ProvisionedConfigStore;
  readonly functionUrls: FunctionUrlStore;
  readonly layers: LayerStore;
  readonly alarms: AlarmStore;
  readonly leases: LeaseStore;
  private readonly db: Database.Database;

  /** Opens (creating and migrating) the database at `path`; `:memory:` for tests. */
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.functions = new SqliteFunctionStore(this.db);
    this.logs = new SqliteLogStore(this.db);
    this.settings = new SqliteSettingsStore(this.db);
    this.metrics = new SqliteMetricStore(this.db);
    this.asyncEvents = new SqliteAsyncEventStore(this.db);
    this.eventInvokeConfigs = new SqliteEventInvokeConfigStore(this.db);
    this.provisionedConfigs = new SqliteProvisionedConfigStore(this.db);
    this.functionUrls = new SqliteFunctionUrlStore(this.db);
    this.layers = new SqliteLayerStore(this.db);
    this.alarms = new SqliteAlarmStore(this.db);
    this.leases = new SqliteLeaseStore(this.db);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

class SqliteFunctionStore implements FunctionStore {
  private readonly stmts;
  private readonly publishTx: (record: FunctionRecord) => FunctionRecord;
  private readonly deleteAllTx: (name: string) => number;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT data FROM functions WHERE name = ? AND version = ?'),
      list: db.prepare(
        "SELECT data FROM functions WHERE version = '$LATEST' AND name > ? ORDER BY name LIMIT ?",
      ),
      versions: db.prepare(
        "SELECT data FROM functions WHERE name = ? ORDER BY CASE WHEN version = '$LATEST' THEN -1 ELSE CAST(version AS INTEGER) END",
      ),
      insert: db.prepare(
        'INSERT OR IGNORE INTO functions (name, version, revision_id, code_size, data) VALUES (?, ?, ?, ?, ?)',
      ),
      replace: db.prepare(
        'UPDATE functions SET revision_id = ?, code_size = ?, data = ? WHERE name = ? AND version = ? AND revision_id = ?',
      ),
      nextVersion: db.prepare(
        `INSERT INTO function_version_counters (name, last_version) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET last_version = last_version + 1 RETURNING last_version`,
      ),
      deleteVersion: db.prepare("DELETE FROM functions WHERE name = ? AND version = ? AND version != '$LATEST'"),
      deleteAll: db.prepare('DELETE FROM functions WHERE name = ?'),
      deleteCounter: db.prepare('DELETE FROM function_version_counters WHERE name = ?'),
      deleteAliases: db.prepare('DELETE FROM function_aliases WHERE function_name = ?'),
      usage: db.prepare(
        "SELECT COUNT(DISTINCT name) AS functionCount, COALESCE(SUM(code_size), 0) AS totalCodeSize FROM functions",
      ),
      aliases: db.prepare('SELECT data FROM function_aliases WHERE function_name = ? ORDER BY name'),
      insertAlias: db.prepare(
        'INSERT OR IGNORE INTO function_aliases (function_name, name, revision_id, data) VALUES (?, ?, ?, ?)',
      ),
      replaceAlias: db.prepare(
        'UPDATE function_aliases SET revision_id = ?, data = ? WHERE function_name = ? AND name = ? AND revision_id = ?',
      ),
      deleteAlias: db.prepare('DELETE FROM function_aliases WHERE function_name = ? AND name = ?'),
      getPolicy: db.prepare('SELECT data FROM function_policies WHERE function_name = ? AND qualifier = ?'),
      insertPolicy: db.prepare(
        'INSERT OR IGNORE INTO function_policies (function_name, qualifier, revision_id, data) VALUES (?, ?, ?, ?)',
      ),
      replacePolicy: db.prepare(
        'UPDATE function_policies SET revision_id = ?, data = ? WHERE function_name = ? AND qualifier = ? AND revision_id = ?',
      ),
      deletePolicy: db.prepare('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?'),
      deletePolicies: db.prepare('DELETE FROM function_policies WHERE function_name = ?'),
    };
    this.publishTx = db.transaction((record: FunctionRecord) => {
      const n = (this.stmts.nextVersion.get(record.name) as Row).last_version as number;
      const published = { ...record, version: String(n) };
      this.insertRecord(published);
      return published;
    });
    this.deleteAllTx = db.transaction((name: string) => {
      const gone = this.stmts.deleteAll.run(name).changes;
      this.stmts.deleteCounter.run(name);
      this.stmts.deleteAliases.run(name);
      this.stmts.deletePolicies.run(name);
      return gone;
    });
  }

  async get(name: string, version: string): Promise<FunctionRecord | undefined> {
    const row = this.stmts.get.get(name, version) as Row | undefined;
    return row ? (JSON.parse(row.data) as FunctionRecord) : undefined;
  }

  async listLatest(afterName: string | undefined, limit: number): Promise<FunctionRecord[]> {
    const rows = this.stmts.list.all(afterName ?? '', limit) as Row[];
    return rows.map((r) => JSON.parse(r.data) as FunctionRecord);
  }

  async listVersions(name: string): Promise<FunctionRecord[]> {
    const rows = this.stmts.versions.all(name) as Row[];
    return rows.map((r) => JSON.parse(r.data) as FunctionRecord);
  }

  async create(record: FunctionRecord): Promise<boolean> {
    return this.insertRecord(record);
  }

  async publishVersion(record: FunctionRecord): Promise<FunctionRecord> {
    return this.publishTx(record);
  }

  async replace(record: FunctionRecord, expectedRevisionId: string): Promise<boolean> {
    const info = this.stmts.replace.run(
      record.revisionId,
      record.codeSize,
      JSON.stringify(record),
      record.name,
      record.version,
      expectedRevisionId,
    );
    return info.changes === 1;
  }

  async deleteVersion(name: string, version: string): Promise<boolean> {
    const gone = this.stmts.deleteVersion.run(name, version).changes === 1;
    if (gone) this.stmts.deletePolicy.run(name, version);
    return gone;
  }

  async deleteAll(name: string): Promise<number> {
    return this.deleteAllTx(name);
  }

  async usage(): Promise<{ functionCount: number; totalCodeSize: number }> {
    const row = this.stmts.usage.get() as Row;
    return { functionCount: row.functionCount, totalCodeSize: row.totalCodeSize };
  }

  async listAliases(functionName: string): Promise<AliasRecord[]> {
    const rows = this.stmts.aliases.all(functionName) as Row[];
    return rows.map((r) => JSON.parse(r.data) as AliasRecord);
  }

  async createAlias(alias: AliasRecord): Promise<boolean> {
    const info = this.stmts.insertAlias.run(alias.functionName, alias.name, alias.revisionId, JSON.stringify(alias));
    return info.changes === 1;
  }

  async replaceAlias(alias: AliasRecord, expectedRevisionId: string): Promise<boolean> {
    const info = this.stmts.replaceAlias.run(
      alias.revisionId,
      JSON.stringify(alias),
      alias.functionName,
      alias.name,
      expectedRevisionId,
    );
    return info.changes === 1;
  }

  async deleteAlias(functionName: string, name: string): Promise<boolean> {
    const gone = this.stmts.deleteAlias.run(functionName, name).changes === 1;
    this.stmts.deletePolicy.run(functionName, name);
    return gone;
  }

  async getPolicy(functionName: string, qualifier: string): Promise<PolicyRecord | undefined> {
    const row = this.stmts.getPolicy.get(functionName, qualifier) as Row | undefined;
    return row ? (JSON.parse(row.data) as PolicyRecord) : undefined;
  }

  async savePolicy(policy: PolicyRecord, expectedRevisionId: string | null): Promise<boolean> {
    const data = JSON.stringify(policy);
    const info =
      expectedRevisionId === null
        ? this.stmts.insertPolicy.run(policy.functionName, policy.qualifier, policy.revisionId, data)
        : this.stmts.replacePolicy.run(policy.revisionId, data, policy.functionName, policy.qualifier, expectedRevisionId);
    return info.changes === 1;
  }

  async deletePolicy(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.deletePolicy.run(functionName, qualifier).changes === 1;
  }

  private insertRecord(record: FunctionRecord): boolean {
    const info = this.stmts.insert.run(
      record.name,
      record.version,
      record.revisionId,
      record.codeSize,
      JSON.stringify(record),
    );
    return info.changes === 1;
  }
}

class SqliteSettingsStore implements SettingsStore {
  private readonly getStmt;
  private readonly setStmt;
  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }
  async get(key: string): Promise<string | undefined> {
    return (this.getStmt.get(key) as Row | undefined)?.value;
  }
  async set(key: string, value: string): Promise<void> {
    this.setStmt.run(key, value);
  }
}

const toGroup = (r: Row): LogGroupRecord => ({
  name: r.name,
  creationTime: r.creation_time,
  ...(r.retention_days != null ? { retentionInDays: r.retention_days } : {}),
  storedBytes: r.stored_bytes,
  tags: JSON.parse(r.tags ?? '{}'),
});

const toStream = (r: Row): LogStreamRecord => ({
  logGroupName: r.group_name,
  name: r.name,
  creationTime: r.creation_time,
  ...(r.first_event != null ? { firstEventTimestamp: r.first_event } : {}),
  ...(r.last_event != null ? { lastEventTimestamp: r.last_event } : {}),
  ...(r.last_ingestion != null ? { lastIngestionTime: r.last_ingestion } : {}),
  storedBytes: r.stored_bytes,
});

/** Escapes LIKE wildcards so a prefix matches literally. */
const likePrefix = (prefix: string) => prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

class SqliteLogStore implements LogStore {
  private readonly stmts;
  private readonly appendTx: (batches: LogBatch[], ingestionTime: number) => void;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      createGroup: db.prepare('INSERT OR IGNORE INTO log_groups (name, creation_time) VALUES (?, ?)'),
      getGroup: db.prepare('SELECT * FROM log_groups WHERE name = ?'),
      deleteGroup: db.prepare('DELETE FROM log_groups WHERE name = ?'),
      deleteGroupStreams: db.prepare('DELETE FROM log_streams WHERE group_name = ?'),
      deleteGroupEvents: db.prepare('DELETE FROM log_events WHERE group_name = ?'),
      createStream: db.prepare(
        'INSERT OR IGNORE INTO log_streams (group_name, name, creation_time) VALUES (?, ?, ?)',
      ),
      getStream: db.prepare('SELECT * FROM log_streams WHERE group_name = ? AND name = ?'),
      insertEvent: db.prepare(
        'INSERT INTO log_events (group_name, stream_name, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)',
      ),
      touchStream: db.prepare(`
        UPDATE log_streams SET
          first_event = MIN(COALESCE(first_event, ?), ?),
          last_event = MAX(COALESCE(last_event, ?), ?),
          last_ingestion = ?,
          stored_bytes = stored_bytes + ?
        WHERE group_name = ? AND name = ?`),
      touchGroup: db.prepare('UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE name = ?'),
      setRetention: db.prepare('UPDATE log_groups SET retention_days = ? WHERE name = ?'),
      setTags: db.prepare('UPDATE log_groups SET tags = ? WHERE name = ?'),
      retained: db.prepare('SELECT name, retention_days FROM log_groups WHERE retention_days IS NOT NULL'),
      expireGroup: db.prepare('DELETE FROM log_events WHERE group_name = ? AND timestamp < ?'),
    };
    this.appendTx = db.transaction((batches: LogBatch[], ingestionTime: number) => {
      for (const batch of batches) {
        if (batch.events.length === 0) continue;
        this.stmts.createGroup.run(batch.logGroupName, ingestionTime);
        this.stmts.createStream.run(batch.logGroupName, batch.logStreamName, ingestionTime);
        let first = Infinity;
        let last = -Infinity;
        let bytes = 0;
        for (const e of batch.events) {
          this.stmts.insertEvent.run(batch.logGroupName, batch.logStreamName, e.timestamp, ingestionTime, e.message);
          if (e.timestamp < first) first = e.timestamp;
          if (e.timestamp > last) last = e.timestamp;
          bytes += Buffer.byteLength(e.message) + 26;
        }
        this.stmts.touchStream.run(first, first, last, last, ingestionTime, bytes, batch.logGroupName, batch.logStreamName);
        this.stmts.touchGroup.run(bytes, batch.logGroupName);
      }
    });
  }

  async createGroup(name: string, now: number): Promise<boolean> {
    return this.stmts.createGroup.run(name, now).changes === 1;
  }

  async getGroup(name: string): Promise<LogGroupRecord | undefined> {
    const row = this.stmts.getGroup.get(name) as Row | undefined;
    return row ? toGroup(row) : undefined;
  }

  async listGroups(prefix: string | undefined, afterName: string | undefined, limit: number): Promise<LogGroupRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM log_groups WHERE name > ? ${prefix ? "AND name LIKE ? ESCAPE '\\'" : ''} ORDER BY name LIMIT ?`,
      )
      .all(...[afterName ?? '', ...(prefix ? [likePrefix(prefix)] : []), limit]) as Row[];
    return rows.map(toGroup);
  }

  async deleteGroup(name: string): Promise<boolean> {
    return this.db.transaction(() => {
      const gone = this.stmts.deleteGroup.run(name).changes === 1;
      this.stmts.deleteGroupStreams.run(name);
      this.stmts.deleteGroupEvents.run(name);
      return gone;
    })();
  }

  async createStream(group: string, name: string, now: number): Promise<boolean> {
    return this.stmts.createStream.run(group, name, now).changes === 1;
  }

  async getStream(group: string, name: string): Promise<LogStreamRecord | undefined> {
    const row = this.stmts.getStream.get(group, name) as Row | undefined;
    return row ? toStream(row) : undefined;
  }

  async listStreams(
    group: string,
    o: { prefix?: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; offset: number; limit: number },
  ): Promise<LogStreamRecord[]> {
    const dir = o.descending ? 'DESC' : 'ASC';
    const order = o.orderBy === 'LastEventTime' ? `COALESCE(last_event, 0) ${dir}, name ${dir}` : `name ${dir}`;
    const rows = this.db
      .prepare(
        `SELECT * FROM log_streams WHERE group_name = ? ${o.prefix ? "AND name LIKE ? ESCAPE '\\'" : ''}
         ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...[group, ...(o.prefix ? [likePrefix(o.prefix)] : []), o.limit, o.offset]) as Row[];
    return rows.map(toStream);
  }

  async append(batches: LogBatch[], ingestionTime: number): Promise<void> {
    this.appendTx(batches, ingestionTime);
  }

  async setRetention(name: string, days: number | undefined): Promise<boolean> {
    return this.stmts.setRetention.run(days ?? null, name).changes === 1;
  }

  async setTags(name: string, tags: Record<string, string>): Promise<boolean> {
    return this.stmts.setTags.run(JSON.stringify(tags), name).changes === 1;
  }

  async expire(now: number): Promise<number> {
    let gone = 0;
    for (const g of this.stmts.retained.all() as Row[]) {
      gone += this.stmts.expireGroup.run(g.name, now - g.retention_days * 86_400_000).changes;
    }
    return gone;
  }

  async events(q: EventQuery): Promise<StoredLogEvent[]> {
    const where = ['group_name = ?'];
    const args: unknown[] = [q.logGroupName];
    if (q.logStreamNames?.length) {
      where.push(`stream_name IN (${q.logStreamNames.map(() => '?').join(',')})`);
      args.push(...q.logStreamNames);
    } else if (q.logStreamNamePrefix) {
      where.push("stream_name LIKE ? ESCAPE '\\'");
      args.push(likePrefix(q.logStreamNamePrefix));
    }
    if (q.startTime !== undefined) {
      where.push('timestamp >= ?');
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push('timestamp < ?');
      args.push(q.endTime);
    }
    // Substring tests run inside SQLite, so rows that cannot match are never read out.
    if (q.containing) {
      for (const t of q.containing.all) {
        where.push('instr(message, ?) > 0');
        args.push(t);
      }
      for (const t of q.containing.none) {
        where.push('instr(message, ?) = 0');
        args.push(t);
      }
      if (q.containing.any.length > 0) {
        where.push(`(${q.containing.any.map(() => 'instr(message, ?) > 0').join(' OR ')})`);
        args.push(...q.containing.any);
      }
    }
    // Tokens resume by (timestamp, id) so that ordering and paging agree.
    if (q.afterId !== undefined) {
      where.push('(timestamp, id) > (SELECT timestamp, id FROM log_events WHERE id = ?)');
      args.push(q.afterId);
    }
    if (q.beforeId !== undefined) {
      where.push('(timestamp, id) < (SELECT timestamp, id FROM log_events WHERE id = ?)');
      args.push(q.beforeId);
    }
    const dir = q.descending ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(
        `SELECT id, stream_name, timestamp, ingestion_time, message FROM log_events
         WHERE ${where.join(' AND ')} ORDER BY timestamp ${dir}, id ${dir} LIMIT ?`,
      )
      .all(...args, q.limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      logStreamName: r.stream_name,
      timestamp: r.timestamp,
      ingestionTime: r.ingestion_time,
      message: r.message,
    }));
  }
}
