/**
 * The schema before the service platform: one ordered list for the whole database, counted by
 * `PRAGMA user_version`, every table unscoped. Frozen: a database still on it is brought to its
 * end, then each slice's first migration takes its tables over (sqlite-database.ts). New
 * tables go in the owning slice's migrations.
 */
export const LEGACY_MIGRATIONS: readonly string[] = [
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
  // Versions and aliases (issue 5): the counter keeps version numbers from ever being reused.
  `
  CREATE TABLE function_aliases (
    function_name TEXT NOT NULL,
    name TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (function_name, name)
  ) WITHOUT ROWID;
  CREATE TABLE function_version_counters (
    name TEXT PRIMARY KEY,
    last_version INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // Resource-based policies (AddPermission), one per function, version or alias.
  `
  CREATE TABLE function_policies (
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (function_name, qualifier)
  ) WITHOUT ROWID;
  `,
  // Asynchronous invocation (issue 4): the durable event queue and per-qualifier settings.
  `
  CREATE TABLE async_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    payload BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    throttles INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    lease_until INTEGER,
    lease_owner TEXT,
    trace_id TEXT
  );
  CREATE INDEX async_events_due ON async_events (due_at, seq);
  CREATE TABLE event_invoke_configs (
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (function_name, qualifier)
  ) WITHOUT ROWID;
  `,
  // CloudWatch metrics (issue 6): one row per distinct metric, one per metric, minute and unit.
  `
  CREATE TABLE metrics (
    id INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    dimensions TEXT NOT NULL,
    last_timestamp INTEGER NOT NULL,
    UNIQUE (namespace, metric_name, dimensions)
  );
  CREATE TABLE metric_minutes (
    metric_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    unit TEXT NOT NULL,
    count REAL NOT NULL,
    sum REAL NOT NULL,
    min REAL,
    max REAL,
    histogram TEXT NOT NULL,
    PRIMARY KEY (metric_id, minute, unit)
  ) WITHOUT ROWID;
  `,
  // Function URLs (issue 5): one configuration per function and qualifier; url_id is unique.
  `
  CREATE TABLE function_url_configs (
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    url_id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    PRIMARY KEY (function_name, qualifier)
  ) WITHOUT ROWID;
  `,
  // Layers (issue 5): versions, a counter that never reuses a number, a policy per version.
  `
  CREATE TABLE layer_versions (
    layer_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (layer_name, version)
  ) WITHOUT ROWID;
  CREATE TABLE layer_version_counters (
    layer_name TEXT PRIMARY KEY,
    last_version INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE layer_version_policies (
    layer_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    revision_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (layer_name, version)
  ) WITHOUT ROWID;
  `,
  // Provisioned concurrency (issue 4): what was requested per version or alias.
  `
  CREATE TABLE provisioned_configs (
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    requested INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (function_name, qualifier)
  ) WITHOUT ROWID;
  `,
  // Log group tags (issue 6).
  `
  ALTER TABLE log_groups ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
  `,
  // CloudWatch alarms (issue 6): each alarm with a revision for conditional writes; history
  // kept apart, since it outlives the alarm.
  `
  CREATE TABLE metric_alarms (
    name TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE alarm_history (
    id INTEGER PRIMARY KEY,
    alarm_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    item_type TEXT NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX alarm_history_by_time ON alarm_history (timestamp, id);
  CREATE INDEX alarm_history_by_alarm ON alarm_history (alarm_name, timestamp, id);
  `,
  // Metric retention (issue 6): each row's period (60 s as written, 300 or 3600 once rolled up)
  // and an index that finds the aging rows of one period across all metrics.
  `
  ALTER TABLE metric_minutes ADD COLUMN period INTEGER NOT NULL DEFAULT 60;
  CREATE INDEX metric_minutes_by_age ON metric_minutes (period, minute);
  `,
  // Cluster leases (service platform issue): one row per once-per-cluster job, its holder and expiry.
  `
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];
