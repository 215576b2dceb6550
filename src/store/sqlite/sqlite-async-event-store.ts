/** SQLite implementations of the async event queue and the event invoke configurations. */
import type Database from 'better-sqlite3';
import type { AsyncEventRecord, AsyncEventStore, EventInvokeConfigRecord, EventInvokeConfigStore } from '../async-event-store.js';

type Row = Record<string, any>;

const toEvent = (r: Row): AsyncEventRecord => ({
  id: r.id,
  functionName: r.function_name,
  qualifier: r.qualifier,
  payload: r.payload,
  receivedAt: r.received_at,
  attempts: r.attempts,
  throttles: r.throttles,
  dueAt: r.due_at,
  ...(r.trace_id ? { traceId: r.trace_id } : {}),
});

export class SqliteAsyncEventStore implements AsyncEventStore {
  private readonly stmts;
  private readonly claimTx: (now: number, leaseMs: number, limit: number, owner: string) => AsyncEventRecord[];

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO async_events (id, function_name, qualifier, payload, received_at, attempts, throttles, due_at, trace_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      due: db.prepare(
        `SELECT * FROM async_events WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY due_at, seq LIMIT ?`,
      ),
      lease: db.prepare('UPDATE async_events SET lease_until = ?, lease_owner = ? WHERE id = ?'),
      releaseOwned: db.prepare('UPDATE async_events SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ?'),
      reschedule: db.prepare(
        'UPDATE async_events SET due_at = ?, attempts = ?, throttles = ?, lease_until = NULL, lease_owner = NULL WHERE id = ?',
      ),
      remove: db.prepare('DELETE FROM async_events WHERE id = ?'),
      depth: db.prepare('SELECT COUNT(*) AS n FROM async_events'),
    };
    this.claimTx = db.transaction((now: number, leaseMs: number, limit: number, owner: string) => {
      const rows = this.stmts.due.all(now, now, limit) as Row[];
      for (const r of rows) this.stmts.lease.run(now + leaseMs, owner, r.id);
      return rows.map(toEvent);
    });
  }

  async enqueue(e: AsyncEventRecord): Promise<void> {
    this.stmts.insert.run(e.id, e.functionName, e.qualifier, e.payload, e.receivedAt, e.attempts, e.throttles, e.dueAt, e.traceId ?? null);
  }

  async claim(now: number, leaseMs: number, limit: number, owner: string): Promise<AsyncEventRecord[]> {
    return this.claimTx(now, leaseMs, limit, owner);
  }

  async releaseOwned(owner: string): Promise<number> {
    return this.stmts.releaseOwned.run(owner).changes;
  }

  async reschedule(id: string, dueAt: number, attempts: number, throttles: number): Promise<void> {
    this.stmts.reschedule.run(dueAt, attempts, throttles, id);
  }

  async remove(id: string): Promise<void> {
    this.stmts.remove.run(id);
  }

  async depth(): Promise<number> {
    return (this.stmts.depth.get() as Row).n;
  }
}

export class SqliteEventInvokeConfigStore implements EventInvokeConfigStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT data FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?'),
      list: db.prepare('SELECT data FROM event_invoke_configs WHERE function_name = ? ORDER BY qualifier'),
      put: db.prepare(
        `INSERT INTO event_invoke_configs (function_name, qualifier, data) VALUES (?, ?, ?)
         ON CONFLICT (function_name, qualifier) DO UPDATE SET data = excluded.data`,
      ),
      delete: db.prepare('DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?'),
      deleteAll: db.prepare('DELETE FROM event_invoke_configs WHERE function_name = ?'),
    };
  }

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfigRecord | undefined> {
    const row = this.stmts.get.get(functionName, qualifier) as Row | undefined;
    return row ? JSON.parse(row.data) : undefined;
  }

  async list(functionName: string): Promise<EventInvokeConfigRecord[]> {
    return (this.stmts.list.all(functionName) as Row[]).map((r) => JSON.parse(r.data));
  }

  async put(config: EventInvokeConfigRecord): Promise<void> {
    this.stmts.put.run(config.functionName, config.qualifier, JSON.stringify(config));
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.stmts.deleteAll.run(functionName);
  }
}
