/**
 * SQLite implementations of the async event queue (one for every scope; each event carries its
 * own) and of one scope's event invoke configurations.
 */
import type Database from 'better-sqlite3';
import type { Scope } from '../../shared/scope.js';
import type { AsyncEventRecord, AsyncEventStore, EventInvokeConfigRecord, EventInvokeConfigStore } from './async-event-store.js';

type Row = Record<string, any>;

const toEvent = (r: Row): AsyncEventRecord => ({
  accountId: r.account_id,
  region: r.region,
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
        `INSERT INTO async_events (id, account_id, region, function_name, qualifier, payload, received_at, attempts, throttles, due_at, trace_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      due: db.prepare(
        `SELECT * FROM async_events WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY due_at, seq LIMIT ?`,
      ),
      lease: db.prepare('UPDATE async_events SET lease_until = ?, lease_owner = ? WHERE id = ?'),
      releaseOwned: db.prepare('UPDATE async_events SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ?'),
      reschedule: db.prepare('UPDATE async_events SET due_at = ?, attempts = ?, throttles = ?, lease_until = NULL, lease_owner = NULL WHERE id = ?'),
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
    this.stmts.insert.run(e.id, e.accountId, e.region, e.functionName, e.qualifier, e.payload, e.receivedAt, e.attempts, e.throttles, e.dueAt, e.traceId ?? null);
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

const SCOPE = 'account_id = ? AND region = ?';

export class SqliteEventInvokeConfigStore implements EventInvokeConfigStore {
  private readonly stmts;
  private readonly at: [string, string];

  constructor(db: Database.Database, scope: Scope) {
    this.at = [scope.accountId, scope.region];
    this.stmts = {
      get: db.prepare(`SELECT data FROM event_invoke_configs WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      list: db.prepare(`SELECT data FROM event_invoke_configs WHERE ${SCOPE} AND function_name = ? ORDER BY qualifier`),
      put: db.prepare(
        `INSERT INTO event_invoke_configs (account_id, region, function_name, qualifier, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, function_name, qualifier) DO UPDATE SET data = excluded.data`,
      ),
      delete: db.prepare(`DELETE FROM event_invoke_configs WHERE ${SCOPE} AND function_name = ? AND qualifier = ?`),
      deleteAll: db.prepare(`DELETE FROM event_invoke_configs WHERE ${SCOPE} AND function_name = ?`),
    };
  }

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfigRecord | undefined> {
    const row = this.stmts.get.get(...this.at, functionName, qualifier) as Row | undefined;
    return row ? JSON.parse(row.data) : undefined;
  }

  async list(functionName: string): Promise<EventInvokeConfigRecord[]> {
    return (this.stmts.list.all(...this.at, functionName) as Row[]).map((r) => JSON.parse(r.data));
  }

  async put(config: EventInvokeConfigRecord): Promise<void> {
    this.stmts.put.run(...this.at, config.functionName, config.qualifier, JSON.stringify(config));
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(...this.at, functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.stmts.deleteAll.run(...this.at, functionName);
  }
}
