/**
 * CloudWatch's store slice: metrics (one row per scope, namespace, name and dimension set; one
 * per metric, minute and unit), alarms and their history, with their migrations (counted under
 * `cloudwatch`) and the SQLite implementation.
 */
import type { StoreSlice } from '../../../store/store-slice.js';
import { adoptLegacy } from '../../../store/sqlite/sqlite-database.js';
import type { AlarmStore } from './alarm-store.js';
import type { MetricStore } from './metric-store.js';
import { SqliteAlarmStore } from './sqlite-alarm-store.js';
import { SqliteMetricStore } from './sqlite-metric-store.js';

export interface CloudWatchStore {
  metrics: MetricStore;
  alarms: AlarmStore;
}

export const CLOUDWATCH_SLICE: StoreSlice<CloudWatchStore> = {
  owner: 'cloudwatch',
  migrations: [
    (db, ctx) => {
      db.exec(`
        CREATE TABLE metrics (
          id INTEGER PRIMARY KEY,
          account_id TEXT NOT NULL,
          region TEXT NOT NULL,
          namespace TEXT NOT NULL,
          metric_name TEXT NOT NULL,
          dimensions TEXT NOT NULL,
          last_timestamp INTEGER NOT NULL,
          UNIQUE (account_id, region, namespace, metric_name, dimensions)
        );
        CREATE TABLE metric_minutes (
          metric_id INTEGER NOT NULL,
          minute INTEGER NOT NULL,
          unit TEXT NOT NULL,
          period INTEGER NOT NULL DEFAULT 60,
          count REAL NOT NULL,
          sum REAL NOT NULL,
          min REAL,
          max REAL,
          histogram TEXT NOT NULL,
          PRIMARY KEY (metric_id, minute, unit)
        ) WITHOUT ROWID;
        CREATE INDEX metric_minutes_by_age ON metric_minutes (period, minute);
        CREATE TABLE metric_alarms (
          account_id TEXT NOT NULL,
          region TEXT NOT NULL,
          name TEXT NOT NULL,
          revision INTEGER NOT NULL,
          data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, name)
        ) WITHOUT ROWID;
        CREATE TABLE alarm_history (
          id INTEGER PRIMARY KEY,
          account_id TEXT NOT NULL,
          region TEXT NOT NULL,
          alarm_name TEXT NOT NULL,
          timestamp INTEGER NOT NULL,
          item_type TEXT NOT NULL,
          summary TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX alarm_history_by_time ON alarm_history (account_id, region, timestamp, id);
        CREATE INDEX alarm_history_by_alarm ON alarm_history (account_id, region, alarm_name, timestamp, id);
        CREATE INDEX alarm_history_by_age ON alarm_history (timestamp);
      `);
      // What a legacy database held belongs to the server's own account and region; metric ids
      // are kept, so their minutes follow as they are.
      adoptLegacy(
        db,
        ctx,
        'metrics',
        `INSERT INTO metrics (id, account_id, region, namespace, metric_name, dimensions, last_timestamp)
         SELECT id, :account_id, :region, namespace, metric_name, dimensions, last_timestamp FROM legacy_metrics`,
      );
      if (ctx.hasTable('legacy_metric_minutes')) {
        db.exec(`INSERT INTO metric_minutes (metric_id, minute, unit, period, count, sum, min, max, histogram)
                 SELECT metric_id, minute, unit, period, count, sum, min, max, histogram FROM legacy_metric_minutes`);
        db.exec('DROP TABLE legacy_metric_minutes');
      }
      adoptLegacy(
        db,
        ctx,
        'metric_alarms',
        `INSERT INTO metric_alarms (account_id, region, name, revision, data) SELECT :account_id, :region, name, revision, data FROM legacy_metric_alarms`,
      );
      adoptLegacy(
        db,
        ctx,
        'alarm_history',
        `INSERT INTO alarm_history (id, account_id, region, alarm_name, timestamp, item_type, summary, data)
         SELECT id, :account_id, :region, alarm_name, timestamp, item_type, summary, data FROM legacy_alarm_history`,
      );
    },
  ],
  open: (db) => ({ metrics: new SqliteMetricStore(db), alarms: new SqliteAlarmStore(db) }),
};
