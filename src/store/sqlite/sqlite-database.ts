/**
 * The embedded database: one SQLite file in the data directory (better-sqlite3, WAL mode),
 * shared by every store slice. Migrations are counted per owner in `schema_migrations`. A
 * database from before slices (`PRAGMA user_version` counting one list, no scopes) is first
 * brought to the end of that list, then its tables are renamed `legacy_*` (and their indexes
 * dropped) for each slice's first migration to copy into its scoped tables and drop.
 */
import Database from 'better-sqlite3';
import type { Scope } from '../../shared/scope.js';
import type { Migration, MigrationContext, StoreSlice } from '../store-slice.js';
import { LEGACY_MIGRATIONS } from './legacy-schema.js';

export class SqliteDatabase {
  readonly db: Database.Database;
  private readonly context: MigrationContext;

  /** Opens (creating, and upgrading a legacy schema) the database at `path`; `:memory:` for tests. */
  constructor(path: string, legacyScope: Scope) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.context = {
      legacyScope,
      hasTable: (name) => this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined,
    };
    this.db.transaction(() => {
      if (!this.context.hasTable('schema_migrations')) {
        if ((this.db.pragma('user_version', { simple: true }) as number) > 0) this.setAsideLegacy();
        this.db.exec('CREATE TABLE schema_migrations (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)');
      }
    }).immediate();
  }

  /** Runs the slice's migrations not yet run, each in its own transaction, and opens it. */
  open<S>(slice: StoreSlice<S>): S {
    this.migrate(slice.owner, slice.migrations);
    return slice.open(this.db);
  }

  /** Drops `legacy_*` tables no slice took over (their owner is gone); call after opening every slice. */
  dropUnclaimedLegacy(): void {
    for (const { name } of this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'legacy\\_%' ESCAPE '\\'").all() as { name: string }[]) {
      this.db.exec(`DROP TABLE "${name}"`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private migrate(owner: string, migrations: readonly Migration[]): void {
    const done = (this.db.prepare('SELECT version FROM schema_migrations WHERE owner = ?').get(owner) as { version: number } | undefined)?.version ?? 0;
    for (let i = done; i < migrations.length; i++) {
      // IMMEDIATE: two servers opening one file at once must not both run a step.
      this.db.transaction(() => {
        const now = (this.db.prepare('SELECT version FROM schema_migrations WHERE owner = ?').get(owner) as { version: number } | undefined)?.version ?? 0;
        if (now > i) return;
        const step = migrations[i]!;
        if (typeof step === 'string') this.db.exec(step);
        else step(this.db, this.context);
        this.db
          .prepare('INSERT INTO schema_migrations (owner, version) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET version = excluded.version')
          .run(owner, i + 1);
      }).immediate();
    }
  }

  /** Completes the legacy list, then renames its tables `legacy_*` and drops their indexes. */
  private setAsideLegacy(): void {
    const at = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = at; i < LEGACY_MIGRATIONS.length; i++) this.db.exec(LEGACY_MIGRATIONS[i]!);
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as { name: string }[];
    const indexes = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[];
    for (const { name } of indexes) this.db.exec(`DROP INDEX "${name}"`);
    for (const { name } of tables) this.db.exec(`ALTER TABLE "${name}" RENAME TO "legacy_${name}"`);
    this.db.pragma('user_version = 0');
  }
}

/** Copies a legacy table's rows into its scoped successor with `legacyScope`, then drops it. */
export function adoptLegacy(db: Database.Database, ctx: MigrationContext, legacy: string, insert: string): void {
  if (!ctx.hasTable(`legacy_${legacy}`)) return;
  db.prepare(insert).run({ account_id: ctx.legacyScope.accountId, region: ctx.legacyScope.region });
  db.exec(`DROP TABLE "legacy_${legacy}"`);
}
