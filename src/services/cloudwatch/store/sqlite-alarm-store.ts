/**
 * AlarmStore on SQLite: `metric_alarms` keeps each alarm of a scope as JSON with a revision
 * counter that makes writes conditional; `alarm_history` one row per item, indexed by time and
 * by alarm within the scope.
 */
import type Database from 'better-sqlite3';
import type { Scope } from '../../../shared/scope.js';
import type {
  AlarmCursor,
  AlarmHistoryQuery,
  AlarmHistoryRecord,
  AlarmListQuery,
  AlarmRecord,
  AlarmStore,
  NewAlarmHistory,
} from './alarm-store.js';

type Row = Record<string, any>;

const toAlarm = (r: Row): AlarmRecord => ({
  ...(JSON.parse(r.data) as Omit<AlarmRecord, 'revision' | 'accountId' | 'region'>),
  accountId: r.account_id,
  region: r.region,
  revision: r.revision,
});

const toHistory = (r: Row): AlarmHistoryRecord => ({
  id: r.id,
  alarmName: r.alarm_name,
  timestamp: r.timestamp,
  itemType: r.item_type,
  summary: r.summary,
  data: r.data,
});

/** LIKE with `\` as escape, so a prefix's own `%` and `_` match themselves. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqliteAlarmStore implements AlarmStore {
  private readonly stmts;
  private readonly saveTx: (alarm: Omit<AlarmRecord, 'revision'>, expected: number | null, history: NewAlarmHistory[]) => AlarmRecord | undefined;
  private readonly deleteTx: (scope: Scope, name: string, history: NewAlarmHistory[]) => boolean;
  private readonly appendTx: (scope: Scope, history: NewAlarmHistory[]) => void;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT * FROM metric_alarms WHERE account_id = ? AND region = ? AND name = ?'),
      insert: db.prepare(
        'INSERT INTO metric_alarms (account_id, region, name, revision, data) VALUES (?, ?, ?, 1, ?) ON CONFLICT (account_id, region, name) DO NOTHING',
      ),
      replace: db.prepare('UPDATE metric_alarms SET revision = revision + 1, data = ? WHERE account_id = ? AND region = ? AND name = ? AND revision = ?'),
      delete: db.prepare('DELETE FROM metric_alarms WHERE account_id = ? AND region = ? AND name = ?'),
      all: db.prepare(
        `SELECT * FROM metric_alarms WHERE (account_id, region, name) > (?, ?, ?) ORDER BY account_id, region, name LIMIT ?`,
      ),
      append: db.prepare('INSERT INTO alarm_history (account_id, region, alarm_name, timestamp, item_type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      expire: db.prepare('DELETE FROM alarm_history WHERE timestamp < ?'),
    };
    const append = (scope: Scope, history: NewAlarmHistory[]) => {
      for (const h of history) this.stmts.append.run(scope.accountId, scope.region, h.alarmName, h.timestamp, h.itemType, h.summary, h.data);
    };
    this.appendTx = db.transaction(append);
    this.saveTx = db.transaction((alarm: Omit<AlarmRecord, 'revision'>, expected: number | null, history: NewAlarmHistory[]) => {
      const { accountId, region, ...rest } = alarm;
      const data = JSON.stringify(rest);
      const info =
        expected === null ? this.stmts.insert.run(accountId, region, alarm.name, data) : this.stmts.replace.run(data, accountId, region, alarm.name, expected);
      if (info.changes !== 1) return undefined;
      append(alarm, history);
      return toAlarm(this.stmts.get.get(accountId, region, alarm.name) as Row);
    });
    this.deleteTx = db.transaction((scope: Scope, name: string, history: NewAlarmHistory[]) => {
      if (this.stmts.delete.run(scope.accountId, scope.region, name).changes !== 1) return false;
      append(scope, history);
      return true;
    });
  }

  async get(scope: Scope, name: string): Promise<AlarmRecord | undefined> {
    const row = this.stmts.get.get(scope.accountId, scope.region, name) as Row | undefined;
    return row ? toAlarm(row) : undefined;
  }

  async list(scope: Scope, q: AlarmListQuery): Promise<AlarmRecord[]> {
    const where = ['account_id = ?', 'region = ?'];
    const args: unknown[] = [scope.accountId, scope.region];
    if (q.names !== undefined) {
      if (q.names.length === 0) return [];
      where.push(`name IN (${q.names.map(() => '?').join(', ')})`);
      args.push(...q.names);
    }
    if (q.prefix !== undefined) {
      where.push(`name LIKE ? ESCAPE '\\'`);
      args.push(likePrefix(q.prefix));
    }
    if (q.afterName !== undefined) {
      where.push('name > ?');
      args.push(q.afterName);
    }
    const sql = `SELECT * FROM metric_alarms WHERE ${where.join(' AND ')} ORDER BY name ${q.limit !== undefined ? 'LIMIT ?' : ''}`;
    if (q.limit !== undefined) args.push(q.limit);
    return (this.db.prepare(sql).all(...args) as Row[]).map(toAlarm);
  }

  async listAll(after: AlarmCursor | undefined, limit: number): Promise<AlarmRecord[]> {
    return (this.stmts.all.all(after?.accountId ?? '', after?.region ?? '', after?.name ?? '', limit) as Row[]).map(toAlarm);
  }

  async save(alarm: Omit<AlarmRecord, 'revision'>, expectedRevision: number | null, history: NewAlarmHistory[]): Promise<AlarmRecord | undefined> {
    const { revision: _ignored, ...plain } = alarm as AlarmRecord;
    return this.saveTx(plain, expectedRevision, history);
  }

  async delete(scope: Scope, name: string, history: NewAlarmHistory[]): Promise<boolean> {
    return this.deleteTx(scope, name, history);
  }

  async appendHistory(scope: Scope, history: NewAlarmHistory[]): Promise<void> {
    this.appendTx(scope, history);
  }

  async history(scope: Scope, q: AlarmHistoryQuery): Promise<AlarmHistoryRecord[]> {
    const where = ['account_id = ?', 'region = ?'];
    const args: unknown[] = [scope.accountId, scope.region];
    if (q.alarmName !== undefined) {
      where.push('alarm_name = ?');
      args.push(q.alarmName);
    }
    if (q.itemType !== undefined) {
      where.push('item_type = ?');
      args.push(q.itemType);
    }
    if (q.startTime !== undefined) {
      where.push('timestamp >= ?');
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push('timestamp <= ?');
      args.push(q.endTime);
    }
    if (q.after) {
      where.push(q.descending ? '(timestamp < ? OR (timestamp = ? AND id < ?))' : '(timestamp > ? OR (timestamp = ? AND id > ?))');
      args.push(q.after.timestamp, q.after.timestamp, q.after.id);
    }
    const order = q.descending ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM alarm_history WHERE ${where.join(' AND ')} ORDER BY timestamp ${order}, id ${order} LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(toHistory);
  }

  async expireHistory(before: number): Promise<number> {
    return this.stmts.expire.run(before).changes;
  }
}
