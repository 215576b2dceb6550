/**
 * A store slice: the part of the database one owner (a service, or the platform) keeps, with
 * its own migrations, counted per owner. A plugin record declares its slice; the platform opens
 * one database, runs every slice's migrations and hands each service its own slice. Every slice
 * passes its behaviour suite (`*.case.ts`) and uses SQL PostgreSQL can also run; DDL is the only
 * per-dialect text.
 */
import type Database from 'better-sqlite3';
import type { Scope } from '../shared/scope.js';

/** What a migration may need beyond its SQL. */
export interface MigrationContext {
  /** The scope rows from before scoping belong to: the server's `--account-id` and `--region`. */
  legacyScope: Scope;
  /** Whether a table exists (a database upgraded from the legacy schema has `legacy_*` ones). */
  hasTable(name: string): boolean;
}

/** One schema step; never edited once released, only followed by more. */
export type Migration = string | ((db: Database.Database, ctx: MigrationContext) => void);

export interface StoreSlice<S> {
  /** Who owns the tables; migrations are counted under this name. */
  owner: string;
  migrations: readonly Migration[];
  /** The slice's stores over an open, migrated database. */
  open(db: Database.Database): S;
}
