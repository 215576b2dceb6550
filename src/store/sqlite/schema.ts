/**
 * SQLite schema as an ordered list of migrations; `PRAGMA user_version` records how many have
 * run. Append new migrations, never edit old ones.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE functions (
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    code_size INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (name, version)
  ) WITHOUT ROWID;
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE log_groups (
    name TEXT PRIMARY KEY,
    creation_time INTEGER NOT NULL,
    retention_days INTEGER,
    stored_bytes INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TABLE log_streams (
    group_name TEXT NOT NULL,
    name TEXT NOT NULL,
    creation_time INTEGER NOT NULL,
    first_event INTEGER,
    last_event INTEGER,
    last_ingestion INTEGER,
    stored_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_name, name)
  ) WITHOUT ROWID;
  CREATE TABLE log_events (
    id INTEGER PRIMARY KEY,
    group_name TEXT NOT NULL,
    stream_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    ingestion_time INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX log_events_by_stream ON log_events (group_name, stream_name, timestamp, id);
  CREATE INDEX log_events_by_group ON log_events (group_name, timestamp, id);
  `,
];
