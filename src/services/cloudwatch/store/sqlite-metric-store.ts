/**
 * MetricStore on SQLite: `metrics` holds each distinct (scope, namespace, name, dimension set) once —
 * the dimension set as canonical JSON (sorted by name), so equal sets are equal text — and
 * `metric_minutes` one row per metric, start and unit, with the period it covers (60 s as
 * written; 300 or 3600 once rolled up). A batch merges into existing rows in one transaction
 * (read, add, write: histograms are JSON, so SQL cannot add them itself); so does a roll-up,
 * which finds aging rows through the (period, minute) index.
 */
import type Database from 'better-sqlite3';
import type { Scope } from '../../../shared/scope.js';
import type {
  MetricIdentity,
  MetricListQuery,
  MetricPoint,
  MetricRetentionPlan,
  MetricRetentionResult,
  MetricRollUp,
  MetricStore,
} from './metric-store.js';

type Row = Record<string, any>;

/** The canonical text of a dimension set: `[[name, value], ...]` sorted by name. */
const dimensionsKey = (m: MetricIdentity): string =>
  JSON.stringify(
    m.dimensions
      .map((d) => [d.name, d.value])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)),
  );

const identityOf = (r: Row): MetricIdentity => ({
  namespace: r.namespace,
  metricName: r.metric_name,
  dimensions: (JSON.parse(r.dimensions) as [string, string][]).map(([name, value]) => ({ name, value })),
});

/** SQLite cannot store ±Infinity min/max of an empty aggregate faithfully in every client; keep NULL. */
const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

export class SqliteMetricStore implements MetricStore {
  private readonly stmts;
  private readonly putTx: (scope: Scope, points: MetricPoint[]) => void;
  private readonly retentionTx: (plan: MetricRetentionPlan, limit: number) => MetricRetentionResult;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      upsertMetric: db.prepare(
        `INSERT INTO metrics (account_id, region, namespace, metric_name, dimensions, last_timestamp) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, region, namespace, metric_name, dimensions) DO UPDATE SET
           last_timestamp = CASE WHEN excluded.last_timestamp > metrics.last_timestamp THEN excluded.last_timestamp ELSE metrics.last_timestamp END
         RETURNING id`,
      ),
      findMetric: db.prepare('SELECT id FROM metrics WHERE account_id = ? AND region = ? AND namespace = ? AND metric_name = ? AND dimensions = ?'),
      getMinute: db.prepare('SELECT count, sum, min, max, histogram FROM metric_minutes WHERE metric_id = ? AND minute = ? AND unit = ?'),
      putMinute: db.prepare(
        `INSERT INTO metric_minutes (metric_id, minute, unit, count, sum, min, max, histogram) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (metric_id, minute, unit) DO UPDATE SET
           count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, histogram = excluded.histogram`,
      ),
      agingRows: db.prepare(
        `SELECT metric_id, minute, unit, count, sum, min, max, histogram FROM metric_minutes
         WHERE period = ? AND minute < ? ORDER BY minute LIMIT ?`,
      ),
      deleteRow: db.prepare('DELETE FROM metric_minutes WHERE metric_id = ? AND minute = ? AND unit = ?'),
      putRolledUp: db.prepare(
        `INSERT INTO metric_minutes (metric_id, minute, unit, period, count, sum, min, max, histogram) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (metric_id, minute, unit) DO UPDATE SET period = excluded.period,
           count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, histogram = excluded.histogram`,
      ),
      deleteOld: db.prepare(
        `DELETE FROM metric_minutes WHERE (metric_id, minute, unit) IN
           (SELECT metric_id, minute, unit FROM metric_minutes WHERE period = ? AND minute < ? LIMIT ?)`,
      ),
      // A metric's rows all start at or before its last_timestamp, so these have none left.
      deleteEmptyMetrics: db.prepare('DELETE FROM metrics WHERE last_timestamp < ?'),
    };
    this.putTx = db.transaction((scope: Scope, points: MetricPoint[]) => {
      for (const p of points) this.merge(scope, p);
    });
    this.retentionTx = db.transaction((plan: MetricRetentionPlan, limit: number) => this.retain(plan, limit));
  }

  async put(scope: Scope, points: MetricPoint[]): Promise<void> {
    if (points.length > 0) this.putTx(scope, points);
  }

  async points(scope: Scope, q: { metric: MetricIdentity; unit?: string; startTime: number; endTime: number }): Promise<MetricPoint[]> {
    const metric = this.stmts.findMetric.get(scope.accountId, scope.region, q.metric.namespace, q.metric.metricName, dimensionsKey(q.metric)) as Row | undefined;
    if (!metric) return [];
    const rows = this.db
      .prepare(
        `SELECT minute, unit, count, sum, min, max, histogram FROM metric_minutes
         WHERE metric_id = ? AND minute >= ? AND minute < ? ${q.unit !== undefined ? 'AND unit = ?' : ''} ORDER BY minute, unit`,
      )
      .all(metric.id, q.startTime, q.endTime, ...(q.unit !== undefined ? [q.unit] : [])) as Row[];
    const identity = identityOf({ namespace: q.metric.namespace, metric_name: q.metric.metricName, dimensions: dimensionsKey(q.metric) });
    return rows.map((r) => ({
      ...identity,
      unit: r.unit,
      timestamp: r.minute,
      count: r.count,
      sum: r.sum,
      min: r.min ?? Infinity,
      max: r.max ?? -Infinity,
      histogram: JSON.parse(r.histogram),
    }));
  }

  async list(scope: Scope, q: MetricListQuery): Promise<Array<MetricIdentity & { cursor: number }>> {
    const where = ['account_id = ?', 'region = ?', 'id > ?'];
    const args: unknown[] = [scope.accountId, scope.region, q.afterCursor ?? 0];
    if (q.namespace !== undefined) {
      where.push('namespace = ?');
      args.push(q.namespace);
    }
    if (q.metricName !== undefined) {
      where.push('metric_name = ?');
      args.push(q.metricName);
    }
    if (q.activeSince !== undefined) {
      where.push('last_timestamp >= ?');
      args.push(q.activeSince);
    }
    const out: Array<MetricIdentity & { cursor: number }> = [];
    if (q.limit <= 0) return out;
    // Dimension filters are checked here rather than in SQL: the set is one JSON text per metric.
    const rows = this.db.prepare(`SELECT * FROM metrics WHERE ${where.join(' AND ')} ORDER BY id`).iterate(...args) as Iterable<Row>;
    for (const row of rows) {
      const metric = identityOf(row);
      const matches = (q.dimensions ?? []).every((f) =>
        metric.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value)),
      );
      if (!matches) continue;
      out.push({ ...metric, cursor: row.id });
      if (out.length >= q.limit) break;
    }
    return out;
  }

  async applyRetention(plan: MetricRetentionPlan, limit: number): Promise<MetricRetentionResult> {
    return this.retentionTx(plan, limit);
  }

  /** The periods rows can have: 60 s as written, and each period a roll-up makes or reads. */
  private periodsOf(plan: MetricRetentionPlan): number[] {
    return [...new Set([60, ...plan.rollUps.flatMap((r) => [r.fromPeriod, r.toPeriod])])];
  }

  private retain(plan: MetricRetentionPlan, limit: number): MetricRetentionResult {
    const result: MetricRetentionResult = { rolledUp: 0, deleted: 0, done: true };
    let budget = limit;
    // Deleting first keeps roll-ups from merging rows that are about to go.
    for (const period of this.periodsOf(plan)) {
      const n = this.stmts.deleteOld.run(period, plan.deleteBefore, budget).changes;
      result.deleted += n;
      budget -= n;
      if (budget <= 0) return { ...result, done: false };
    }
    this.stmts.deleteEmptyMetrics.run(plan.deleteBefore);
    for (const step of plan.rollUps) {
      const n = this.rollUp(step, budget);
      result.rolledUp += n;
      budget -= n;
      if (budget <= 0) return { ...result, done: false };
    }
    return result;
  }

  /** Merges up to `limit` rows of one roll-up step into their buckets; returns how many rows it took. */
  private rollUp(step: MetricRollUp, limit: number): number {
    const rows = this.stmts.agingRows.all(step.fromPeriod, step.before, limit) as Row[];
    const periodMs = step.toPeriod * 1000;
    const buckets = new Map<string, { metricId: number; unit: string; start: number; rows: Row[] }>();
    for (const r of rows) {
      const start = Math.floor(r.minute / periodMs) * periodMs;
      const key = `${r.metric_id}\u0000${r.unit}\u0000${start}`;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { metricId: r.metric_id, unit: r.unit, start, rows: [] }));
      bucket.rows.push(r);
      this.stmts.deleteRow.run(r.metric_id, r.minute, r.unit);
    }
    // The rows taken are gone now, so a row still at a bucket's start is one merged earlier
    // (or written after): it is added in, not overwritten.
    for (const b of buckets.values()) {
      const earlier = this.stmts.getMinute.get(b.metricId, b.start, b.unit) as Row | undefined;
      const merged = mergeRows(earlier ? [earlier, ...b.rows] : b.rows);
      this.stmts.putRolledUp.run(b.metricId, b.start, b.unit, step.toPeriod, merged.count, merged.sum, finite(merged.min), finite(merged.max), JSON.stringify(merged.histogram));
    }
    return rows.length;
  }

  private merge(scope: Scope, p: MetricPoint): void {
    const id = (this.stmts.upsertMetric.get(scope.accountId, scope.region, p.namespace, p.metricName, dimensionsKey(p), p.timestamp) as Row).id as number;
    const old = this.stmts.getMinute.get(id, p.timestamp, p.unit) as Row | undefined;
    let { count, sum, min, max } = p;
    const histogram = { ...p.histogram };
    if (old) {
      count += old.count;
      sum += old.sum;
      if (old.min !== null && old.min < min) min = old.min;
      if (old.max !== null && old.max > max) max = old.max;
      for (const [k, n] of Object.entries<number>(JSON.parse(old.histogram))) histogram[k] = (histogram[k] ?? 0) + n;
    }
    this.stmts.putMinute.run(id, p.timestamp, p.unit, count, sum, finite(min), finite(max), JSON.stringify(histogram));
  }
}

/** Stored rows added together (NULL min/max are those of sets without samples). */
function mergeRows(rows: Row[]): { count: number; sum: number; min: number; max: number; histogram: Record<string, number> } {
  const out = { count: 0, sum: 0, min: Infinity, max: -Infinity, histogram: {} as Record<string, number> };
  for (const r of rows) {
    out.count += r.count;
    out.sum += r.sum;
    if (r.min !== null && r.min < out.min) out.min = r.min;
    if (r.max !== null && r.max > out.max) out.max = r.max;
    for (const [k, n] of Object.entries<number>(JSON.parse(r.histogram))) out.histogram[k] = (out.histogram[k] ?? 0) + n;
  }
  return out;
}
