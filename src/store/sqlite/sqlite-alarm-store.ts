/**
 * AlarmStore on SQLite: `metric_alarms` keeps each alarm as JSON with a revision counter that
 * makes writes conditional; `alarm_history` one row per item, indexed by time and by alarm.
 */
import type Database from 'better-sqlite3';
import type {
  AlarmHistoryQuery,
  AlarmHistoryRecord,
  AlarmListQuery,
  AlarmRecord,
  AlarmStore,
  NewAlarmHistory,
} from '../alarm-store.js';

type Row = Record<string, any>;

const toAlarm = (r: Row): AlarmRecord => ({ ...(JSON.parse(r.data) as Omit<AlarmRecord, 'revision'>), revision: r.revision });

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
  private readonly deleteTx: (name: string, history: NewAlarmHistory[]) => boolean;
  private readonly appendTx: (history: NewAlarmHistory[]) => void;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT revision, data FROM metric_alarms WHERE name = ?'),
      insert: db.prepare('INSERT OR IGNORE INTO metric_alarms (name, revision, data) VALUES (?, 1, ?)'),
      replace: db.prepare('UPDATE metric_alarms SET revision = revision + 1, data = ? WHERE name = ? AND revision = ?'),
      delete: db.prepare('DELETE FROM metric_alarms WHERE name = ?'),
      append: db.prepare('INSERT INTO alarm_history (alarm_name, timestamp, item_type, summary, data) VALUES (?, ?, ?, ?, ?)'),
      expire: db.prepare('DELETE FROM alarm_history WHERE timestamp < ?'),
    };
    const append = (history: NewAlarmHistory[]) => {
      for (const h of history) this.stmts.append.run(h.alarmName, h.timestamp, h.itemType, h.summary, h.data);
    };
    this.appendTx = db.transaction(append);
    this.saveTx = db.transaction((alarm, expected, history) => {
      const data = JSON.stringify(alarm);
      const info = expected === null ? this.stmts.insert.run(alarm.name, data) : this.stmts.replace.run(data, alarm.name, expected);
      if (info.changes !== 1) return undefined;
      append(history);
      return toAlarm(this.stmts.get.get(alarm.name) as Row);
    });
    this.deleteTx = db.transaction((name, history) => {
      if (this.stmts.delete.run(name).changes !== 1) return false;
      append(history);
      return true;
    });
  }

  async get(name: string): Promise<AlarmRecord | undefined> {
    const row = this.stmts.get.get(name) as Row | undefined;
    return row ? toAlarm(row) : undefined;
  }

  async list(q: AlarmListQuery): Promise<AlarmRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
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
    const sql = `SELECT revision, data FROM metric_alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name ${
      q.limit !== undefined ? 'LIMIT ?' : ''
    }`;
    if (q.limit !== undefined) args.push(q.limit);
    return (this.db.prepare(sql).all(...args) as Row[]).map(toAlarm);
  }

  async save(alarm: Omit<AlarmRecord, 'revision'>, expectedRevision: number | null, history: NewAlarmHistory[]): Promise<AlarmRecord | undefined> {
    const { revision: _ignored, ...plain } = alarm as AlarmRecord;
    return this.saveTx(plain, expectedRevision, history);
  }

  async delete(name: string, history: NewAlarmHistory[]): Promise<boolean> {
    return this.deleteTx(name, history);
  }

  async appendHistory(history: NewAlarmHistory[]): Promise<void> {
    this.appendTx(history);
  }

  async history(q: AlarmHistoryQuery): Promise<AlarmHistoryRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
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
    const sql = `SELECT * FROM alarm_history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY timestamp ${order}, id ${order} LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(toHistory);
  }

  async expireHistory(before: number): Promise<number> {
    return this.stmts.expire.run(before).changes;
  }
}
