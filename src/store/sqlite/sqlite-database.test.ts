import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORM_SLICE } from '../platform-store.js';
import { platformStoreBehaviour } from '../platform-store.case.js';
import type { StoreSlice } from '../store-slice.js';
import { LEGACY_MIGRATIONS } from './legacy-schema.js';
import { SqliteDatabase } from './sqlite-database.js';

const SCOPE = { accountId: '123456789012', region: 'eu-central-1' };

platformStoreBehaviour('sqlite', async () => {
  const database = new SqliteDatabase(':memory:', SCOPE);
  return { ...database.open(PLATFORM_SLICE), close: async () => database.close() };
});

let dir: string;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('SqliteDatabase', () => {
  it('counts migrations per owner, runs each once, and keeps data across reopen', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-db-'));
    const path = join(dir, 'nimbus.db');
    const slice = (migrations: string[]): StoreSlice<Database.Database> => ({ owner: 'demo', migrations, open: (db) => db });
    const first = new SqliteDatabase(path, SCOPE);
    first.open(slice(['CREATE TABLE a (x INTEGER)'])).exec('INSERT INTO a VALUES (1)');
    first.close();
    // A new release appends a step; the first is not run again.
    const second = new SqliteDatabase(path, SCOPE);
    const db = second.open(slice(['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y INTEGER DEFAULT 2']));
    expect(db.prepare('SELECT x, y FROM a').all()).toEqual([{ x: 1, y: 2 }]);
    expect(db.prepare("SELECT version FROM schema_migrations WHERE owner = 'demo'").get()).toEqual({ version: 2 });
    second.close();
  });

  it('upgrades a database of the legacy schema: tables set aside, then adopted by each slice in the server’s own scope', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-db-'));
    const path = join(dir, 'nimbus.db');
    // A database as an earlier Nimbus left it, part way through the legacy list.
    const old = new Database(path);
    for (const m of LEGACY_MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    old.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('node-id', 'n1');
    old.prepare('INSERT INTO log_groups (name, creation_time) VALUES (?, ?)').run('/kept', 5);
    old.close();

    const database = new SqliteDatabase(path, SCOPE);
    const platform = database.open(PLATFORM_SLICE);
    expect(await platform.settings.get('node-id')).toBe('n1');
    // The rest of the legacy list ran first (leases, from its last step, then set aside too).
    const tables = (database.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toContain('legacy_log_groups');
    expect(tables).not.toContain('legacy_settings');
    expect(tables).not.toContain('legacy_leases');
    database.dropUnclaimedLegacy();
    expect((database.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name LIKE 'legacy%'").get() as { n: number }).n).toBe(0);
    database.close();
  });
});
