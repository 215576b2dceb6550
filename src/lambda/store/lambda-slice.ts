/**
 * Lambda's store slice: its tables, their migrations (counted under `lambda`) and the SQLite
 * implementation. Every table leads with the scope (account, region); the async queue's rows
 * carry theirs. A legacy database's rows are adopted into the server's own account and region.
 */
import type Database from 'better-sqlite3';
import { scopeKey, type Scope } from '../../shared/scope.js';
import type { StoreSlice } from '../../store/store-slice.js';
import { adoptLegacy } from '../../store/sqlite/sqlite-database.js';
import type { FunctionRecord } from './function-store.js';
import type { EverywhereLambdaStore, LambdaStore, ScopedLambdaStore } from './lambda-store.js';
import { SqliteAsyncEventStore, SqliteEventInvokeConfigStore } from './sqlite-async-event-store.js';
import { SqliteFunctionStore } from './sqlite-function-store.js';
import { SqliteFunctionUrlStore, urlConfigOf } from './sqlite-function-url-store.js';
import { SqliteLayerStore } from './sqlite-layer-store.js';
import { provisionedConfigOf, SqliteProvisionedConfigStore } from './sqlite-provisioned-config-store.js';

/** The legacy tables each first-migration table adopts, and how its rows map. */
const ADOPT: Array<[string, string]> = [
  ['functions', 'INSERT INTO functions SELECT :account_id, :region, name, version, revision_id, code_size, data FROM legacy_functions'],
  ['function_aliases', 'INSERT INTO function_aliases SELECT :account_id, :region, function_name, name, revision_id, data FROM legacy_function_aliases'],
  ['function_version_counters', 'INSERT INTO function_version_counters SELECT :account_id, :region, name, last_version FROM legacy_function_version_counters'],
  ['function_policies', 'INSERT INTO function_policies SELECT :account_id, :region, function_name, qualifier, revision_id, data FROM legacy_function_policies'],
  [
    'async_events',
    `INSERT INTO async_events (seq, id, account_id, region, function_name, qualifier, payload, received_at, attempts, throttles, due_at, lease_until, lease_owner, trace_id)
     SELECT seq, id, :account_id, :region, function_name, qualifier, payload, received_at, attempts, throttles, due_at, lease_until, lease_owner, trace_id FROM legacy_async_events`,
  ],
  ['event_invoke_configs', 'INSERT INTO event_invoke_configs SELECT :account_id, :region, function_name, qualifier, data FROM legacy_event_invoke_configs'],
  ['function_url_configs', 'INSERT INTO function_url_configs SELECT :account_id, :region, function_name, qualifier, url_id, data FROM legacy_function_url_configs'],
  ['layer_versions', 'INSERT INTO layer_versions SELECT :account_id, :region, layer_name, version, data FROM legacy_layer_versions'],
  ['layer_version_counters', 'INSERT INTO layer_version_counters SELECT :account_id, :region, layer_name, last_version FROM legacy_layer_version_counters'],
  ['layer_version_policies', 'INSERT INTO layer_version_policies SELECT :account_id, :region, layer_name, version, revision_id, data FROM legacy_layer_version_policies'],
  ['provisioned_configs', 'INSERT INTO provisioned_configs SELECT :account_id, :region, function_name, qualifier, requested, last_modified FROM legacy_provisioned_configs'],
];

export const LAMBDA_SLICE: StoreSlice<LambdaStore> = {
  owner: 'lambda',
  migrations: [
    (db, ctx) => {
      db.exec(`
        CREATE TABLE functions (
          account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
          revision_id TEXT NOT NULL, code_size INTEGER NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, name, version)
        ) WITHOUT ROWID;
        CREATE TABLE function_aliases (
          account_id TEXT NOT NULL, region TEXT NOT NULL, function_name TEXT NOT NULL, name TEXT NOT NULL,
          revision_id TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, function_name, name)
        ) WITHOUT ROWID;
        CREATE TABLE function_version_counters (
          account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, last_version INTEGER NOT NULL,
          PRIMARY KEY (account_id, region, name)
        ) WITHOUT ROWID;
        CREATE TABLE function_policies (
          account_id TEXT NOT NULL, region TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL,
          revision_id TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, function_name, qualifier)
        ) WITHOUT ROWID;
        CREATE TABLE async_events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          account_id TEXT NOT NULL, region TEXT NOT NULL,
          function_name TEXT NOT NULL, qualifier TEXT NOT NULL, payload BLOB NOT NULL,
          received_at INTEGER NOT NULL, attempts INTEGER NOT NULL, throttles INTEGER NOT NULL, due_at INTEGER NOT NULL,
          lease_until INTEGER, lease_owner TEXT, trace_id TEXT
        );
        CREATE INDEX async_events_due ON async_events (due_at, seq);
        CREATE TABLE event_invoke_configs (
          account_id TEXT NOT NULL, region TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, function_name, qualifier)
        ) WITHOUT ROWID;
        CREATE TABLE function_url_configs (
          account_id TEXT NOT NULL, region TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL,
          url_id TEXT NOT NULL UNIQUE, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, function_name, qualifier)
        ) WITHOUT ROWID;
        CREATE TABLE layer_versions (
          account_id TEXT NOT NULL, region TEXT NOT NULL, layer_name TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, layer_name, version)
        ) WITHOUT ROWID;
        CREATE TABLE layer_version_counters (
          account_id TEXT NOT NULL, region TEXT NOT NULL, layer_name TEXT NOT NULL, last_version INTEGER NOT NULL,
          PRIMARY KEY (account_id, region, layer_name)
        ) WITHOUT ROWID;
        CREATE TABLE layer_version_policies (
          account_id TEXT NOT NULL, region TEXT NOT NULL, layer_name TEXT NOT NULL, version INTEGER NOT NULL,
          revision_id TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (account_id, region, layer_name, version)
        ) WITHOUT ROWID;
        CREATE TABLE provisioned_configs (
          account_id TEXT NOT NULL, region TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL,
          requested INTEGER NOT NULL, last_modified INTEGER NOT NULL,
          PRIMARY KEY (account_id, region, function_name, qualifier)
        ) WITHOUT ROWID;
      `);
      for (const [table, insert] of ADOPT) adoptLegacy(db, ctx, table, insert);
    },
  ],
  open: (db) => new SqliteLambdaStore(db),
};

/** The slice over one database: a scope's stores are made on first use and kept. */
class SqliteLambdaStore implements LambdaStore {
  readonly asyncEvents: SqliteAsyncEventStore;
  readonly everywhere: EverywhereLambdaStore;
  private readonly scopes = new Map<string, ScopedLambdaStore>();

  constructor(private readonly db: Database.Database) {
    this.asyncEvents = new SqliteAsyncEventStore(db);
    const provisioned = db.prepare('SELECT * FROM provisioned_configs ORDER BY account_id, region, function_name, qualifier');
    const urls = db.prepare('SELECT * FROM function_url_configs');
    const latest = db.prepare("SELECT account_id, region, data FROM functions WHERE version = '$LATEST'");
    this.everywhere = {
      provisionedConfigs: async () =>
        (provisioned.all() as Record<string, any>[]).map((r) => ({ ...provisionedConfigOf(r), accountId: r.account_id, region: r.region })),
      functionUrls: async () => (urls.all() as Parameters<typeof urlConfigOf>[0][]).map(urlConfigOf),
      reservations: async () =>
        (latest.all() as Array<{ account_id: string; region: string; data: string }>).flatMap((r) => {
          const f = JSON.parse(r.data) as FunctionRecord;
          return f.reservedConcurrency === undefined ? [] : [{ accountId: r.account_id, region: r.region, functionName: f.name, reserved: f.reservedConcurrency }];
        }),
    };
  }

  at(scope: Scope): ScopedLambdaStore {
    const key = scopeKey(scope);
    let stores = this.scopes.get(key);
    if (!stores) {
      stores = {
        functions: new SqliteFunctionStore(this.db, scope),
        eventInvokeConfigs: new SqliteEventInvokeConfigStore(this.db, scope),
        provisionedConfigs: new SqliteProvisionedConfigStore(this.db, scope),
        functionUrls: new SqliteFunctionUrlStore(this.db, scope),
        layers: new SqliteLayerStore(this.db, scope),
      };
      this.scopes.set(key, stores);
    }
    return stores;
  }
}
