/**
 * The platform's own slice of the store: settings and the leases of once-per-cluster workers.
 */
import type { StoreSlice } from './store-slice.js';
import type { LeaseStore } from './lease-store.js';
import type { SettingsStore } from './settings-store.js';
import { SqliteLeaseStore } from './sqlite/sqlite-lease-store.js';
import { SqliteSettingsStore } from './sqlite/sqlite-settings-store.js';
import { adoptLegacy } from './sqlite/sqlite-database.js';

export interface PlatformStore {
  settings: SettingsStore;
  leases: LeaseStore;
}

export const PLATFORM_SLICE: StoreSlice<PlatformStore> = {
  owner: 'platform',
  migrations: [
    (db, ctx) => {
      db.exec(`
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
      `);
      adoptLegacy(db, ctx, 'settings', 'INSERT INTO settings (key, value) SELECT key, value FROM legacy_settings');
      // Leases are held by running nodes only: nothing to keep across the upgrade.
      if (ctx.hasTable('legacy_leases')) db.exec('DROP TABLE legacy_leases');
    },
  ],
  open: (db) => ({ settings: new SqliteSettingsStore(db), leases: new SqliteLeaseStore(db) }),
};
