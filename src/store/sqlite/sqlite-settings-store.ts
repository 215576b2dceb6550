/** Settings in SQLite: one row per key. */
import type Database from 'better-sqlite3';
import type { SettingsStore } from '../settings-store.js';

export class SqliteSettingsStore implements SettingsStore {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  async get(key: string): Promise<string | undefined> {
    return (this.getStmt.get(key) as { value: string } | undefined)?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.setStmt.run(key, value);
  }
}
