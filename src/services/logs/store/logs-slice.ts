/**
 * CloudWatch Logs' store slice: its tables, their migrations (counted under `logs`) and the
 * SQLite implementation. Groups carry their scope; streams and events point at their group by
 * id, so a million events do not each repeat an account, a region and a group name.
 */
import type { StoreSlice } from '../../../store/store-slice.js';
import { adoptLegacy } from '../../../store/sqlite/sqlite-database.js';
import type { LogsStore } from './log-store.js';
import { SqliteLogStore } from './sqlite-log-store.js';

export const LOGS_SLICE: StoreSlice<LogsStore> = {
  owner: 'logs',
  migrations: [
    (db, ctx) => {
      db.exec(`
        CREATE TABLE log_groups (
          id INTEGER PRIMARY KEY,
          account_id TEXT NOT NULL,
          region TEXT NOT NULL,
          name TEXT NOT NULL,
          creation_time INTEGER NOT NULL,
          retention_days INTEGER,
          stored_bytes INTEGER NOT NULL DEFAULT 0,
          tags TEXT NOT NULL DEFAULT '{}',
          UNIQUE (account_id, region, name)
        );
        CREATE TABLE log_streams (
          group_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          creation_time INTEGER NOT NULL,
          first_event INTEGER,
          last_event INTEGER,
          last_ingestion INTEGER,
          stored_bytes INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (group_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE log_events (
          id INTEGER PRIMARY KEY,
          group_id INTEGER NOT NULL,
          stream_name TEXT NOT NULL,
          timestamp INTEGER NOT NULL,
          ingestion_time INTEGER NOT NULL,
          message TEXT NOT NULL
        );
        CREATE INDEX log_events_by_stream ON log_events (group_id, stream_name, timestamp, id);
        CREATE INDEX log_events_by_group ON log_events (group_id, timestamp, id);
        CREATE INDEX log_groups_retained ON log_groups (retention_days) WHERE retention_days IS NOT NULL;
      `);
      // What a legacy database held belongs to the server's own account and region.
      adoptLegacy(
        db,
        ctx,
        'log_groups',
        `INSERT INTO log_groups (account_id, region, name, creation_time, retention_days, stored_bytes, tags)
         SELECT :account_id, :region, name, creation_time, retention_days, stored_bytes, tags FROM legacy_log_groups`,
      );
      const group = 'SELECT id FROM log_groups g WHERE g.account_id = :account_id AND g.region = :region AND g.name = l.group_name';
      adoptLegacy(
        db,
        ctx,
        'log_streams',
        `INSERT INTO log_streams (group_id, name, creation_time, first_event, last_event, last_ingestion, stored_bytes)
         SELECT (${group}), name, creation_time, first_event, last_event, last_ingestion, stored_bytes
         FROM legacy_log_streams l WHERE EXISTS (${group})`,
      );
      adoptLegacy(
        db,
        ctx,
        'log_events',
        `INSERT INTO log_events (id, group_id, stream_name, timestamp, ingestion_time, message)
         SELECT id, (${group}), stream_name, timestamp, ingestion_time, message FROM legacy_log_events l WHERE EXISTS (${group})`,
      );
    },
  ],
  open: (db) => ({ logs: new SqliteLogStore(db) }),
};
