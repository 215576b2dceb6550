/** LogStore on SQLite (logs-slice.ts has the tables), in SQL PostgreSQL can also run but for `instr`. */
import type Database from 'better-sqlite3';
import type { Scope } from '../../../shared/scope.js';
import type { EventQuery, LogBatch, LogGroupRecord, LogStore, LogStreamRecord, StoredLogEvent, StreamListing } from './log-store.js';

type Row = Record<string, any>;

const toGroup = (r: Row): LogGroupRecord => ({
  name: r.name,
  creationTime: r.creation_time,
  ...(r.retention_days != null ? { retentionInDays: r.retention_days } : {}),
  storedBytes: r.stored_bytes,
  tags: JSON.parse(r.tags ?? '{}'),
});

const toStream = (groupName: string, r: Row): LogStreamRecord => ({
  logGroupName: groupName,
  name: r.name,
  creationTime: r.creation_time,
  ...(r.first_event != null ? { firstEventTimestamp: r.first_event } : {}),
  ...(r.last_event != null ? { lastEventTimestamp: r.last_event } : {}),
  ...(r.last_ingestion != null ? { lastIngestionTime: r.last_ingestion } : {}),
  storedBytes: r.stored_bytes,
});

/** Escapes LIKE wildcards so a prefix matches literally. */
const likePrefix = (prefix: string) => prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

export class SqliteLogStore implements LogStore {
  private readonly stmts;
  private readonly appendTx: (batches: LogBatch[], ingestionTime: number) => void;
  private readonly deleteTx: (scope: Scope, name: string) => boolean;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      createGroup: db.prepare(
        'INSERT INTO log_groups (account_id, region, name, creation_time) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, region, name) DO NOTHING',
      ),
      getGroup: db.prepare('SELECT * FROM log_groups WHERE account_id = ? AND region = ? AND name = ?'),
      groupId: db.prepare('SELECT id FROM log_groups WHERE account_id = ? AND region = ? AND name = ?'),
      deleteGroup: db.prepare('DELETE FROM log_groups WHERE id = ?'),
      deleteGroupStreams: db.prepare('DELETE FROM log_streams WHERE group_id = ?'),
      deleteGroupEvents: db.prepare('DELETE FROM log_events WHERE group_id = ?'),
      createStream: db.prepare('INSERT INTO log_streams (group_id, name, creation_time) VALUES (?, ?, ?) ON CONFLICT (group_id, name) DO NOTHING'),
      getStream: db.prepare('SELECT * FROM log_streams WHERE group_id = ? AND name = ?'),
      insertEvent: db.prepare('INSERT INTO log_events (group_id, stream_name, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)'),
      touchStream: db.prepare(`
        UPDATE log_streams SET
          first_event = CASE WHEN first_event IS NULL OR first_event > ? THEN ? ELSE first_event END,
          last_event = CASE WHEN last_event IS NULL OR last_event < ? THEN ? ELSE last_event END,
          last_ingestion = ?,
          stored_bytes = stored_bytes + ?
        WHERE group_id = ? AND name = ?`),
      touchGroup: db.prepare('UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE id = ?'),
      setRetention: db.prepare('UPDATE log_groups SET retention_days = ? WHERE account_id = ? AND region = ? AND name = ?'),
      setTags: db.prepare('UPDATE log_groups SET tags = ? WHERE account_id = ? AND region = ? AND name = ?'),
      retained: db.prepare('SELECT id, retention_days FROM log_groups WHERE retention_days IS NOT NULL'),
      expireGroup: db.prepare('DELETE FROM log_events WHERE group_id = ? AND timestamp < ?'),
    };
    this.appendTx = db.transaction((batches: LogBatch[], ingestionTime: number) => {
      for (const batch of batches) {
        if (batch.events.length === 0) continue;
        const { accountId, region } = batch.scope;
        this.stmts.createGroup.run(accountId, region, batch.logGroupName, ingestionTime);
        const groupId = this.idOf(batch.scope, batch.logGroupName)!;
        this.stmts.createStream.run(groupId, batch.logStreamName, ingestionTime);
        let first = Infinity;
        let last = -Infinity;
        let bytes = 0;
        for (const e of batch.events) {
          this.stmts.insertEvent.run(groupId, batch.logStreamName, e.timestamp, ingestionTime, e.message);
          if (e.timestamp < first) first = e.timestamp;
          if (e.timestamp > last) last = e.timestamp;
          bytes += Buffer.byteLength(e.message) + 26;
        }
        this.stmts.touchStream.run(first, first, last, last, ingestionTime, bytes, groupId, batch.logStreamName);
        this.stmts.touchGroup.run(bytes, groupId);
      }
    });
    this.deleteTx = db.transaction((scope: Scope, name: string) => {
      const id = this.idOf(scope, name);
      if (id === undefined) return false;
      this.stmts.deleteGroup.run(id);
      this.stmts.deleteGroupStreams.run(id);
      this.stmts.deleteGroupEvents.run(id);
      return true;
    });
  }

  async createGroup(scope: Scope, name: string, now: number): Promise<boolean> {
    return this.stmts.createGroup.run(scope.accountId, scope.region, name, now).changes === 1;
  }

  async getGroup(scope: Scope, name: string): Promise<LogGroupRecord | undefined> {
    const row = this.stmts.getGroup.get(scope.accountId, scope.region, name) as Row | undefined;
    return row ? toGroup(row) : undefined;
  }

  async listGroups(scope: Scope, prefix: string | undefined, afterName: string | undefined, limit: number): Promise<LogGroupRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM log_groups WHERE account_id = ? AND region = ? AND name > ? ${prefix ? "AND name LIKE ? ESCAPE '\\'" : ''}
         ORDER BY name LIMIT ?`,
      )
      .all(...[scope.accountId, scope.region, afterName ?? '', ...(prefix ? [likePrefix(prefix)] : []), limit]) as Row[];
    return rows.map(toGroup);
  }

  async deleteGroup(scope: Scope, name: string): Promise<boolean> {
    return this.deleteTx(scope, name);
  }

  async createStream(scope: Scope, group: string, name: string, now: number): Promise<boolean> {
    const id = this.idOf(scope, group);
    return id !== undefined && this.stmts.createStream.run(id, name, now).changes === 1;
  }

  async getStream(scope: Scope, group: string, name: string): Promise<LogStreamRecord | undefined> {
    const id = this.idOf(scope, group);
    const row = id === undefined ? undefined : (this.stmts.getStream.get(id, name) as Row | undefined);
    return row ? toStream(group, row) : undefined;
  }

  async listStreams(scope: Scope, group: string, o: StreamListing): Promise<LogStreamRecord[]> {
    const id = this.idOf(scope, group);
    if (id === undefined) return [];
    const dir = o.descending ? 'DESC' : 'ASC';
    const order = o.orderBy === 'LastEventTime' ? `COALESCE(last_event, 0) ${dir}, name ${dir}` : `name ${dir}`;
    const rows = this.db
      .prepare(`SELECT * FROM log_streams WHERE group_id = ? ${o.prefix ? "AND name LIKE ? ESCAPE '\\'" : ''} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...[id, ...(o.prefix ? [likePrefix(o.prefix)] : []), o.limit, o.offset]) as Row[];
    return rows.map((r) => toStream(group, r));
  }

  async append(batches: LogBatch[], ingestionTime: number): Promise<void> {
    this.appendTx(batches, ingestionTime);
  }

  async setRetention(scope: Scope, name: string, days: number | undefined): Promise<boolean> {
    return this.stmts.setRetention.run(days ?? null, scope.accountId, scope.region, name).changes === 1;
  }

  async setTags(scope: Scope, name: string, tags: Record<string, string>): Promise<boolean> {
    return this.stmts.setTags.run(JSON.stringify(tags), scope.accountId, scope.region, name).changes === 1;
  }

  async expire(now: number): Promise<number> {
    let gone = 0;
    for (const g of this.stmts.retained.all() as Row[]) {
      gone += this.stmts.expireGroup.run(g.id, now - g.retention_days * 86_400_000).changes;
    }
    return gone;
  }

  async events(scope: Scope, q: EventQuery): Promise<StoredLogEvent[]> {
    const id = this.idOf(scope, q.logGroupName);
    if (id === undefined) return [];
    const where = ['group_id = ?'];
    const args: unknown[] = [id];
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
    return rows.map((r) => ({ id: r.id, logStreamName: r.stream_name, timestamp: r.timestamp, ingestionTime: r.ingestion_time, message: r.message }));
  }

  private idOf(scope: Scope, group: string): number | undefined {
    return (this.stmts.groupId.get(scope.accountId, scope.region, group) as Row | undefined)?.id;
  }
}
