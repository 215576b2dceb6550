/** Store slices over a private in-memory database, for unit tests. */
import type { Scope } from '../../src/shared/scope.js';
import type { StoreSlice } from '../../src/store/store-slice.js';
import { SqliteDatabase } from '../../src/store/sqlite/sqlite-database.js';

/** The scope tests work in unless they say otherwise: the server's defaults. */
export const TEST_SCOPE: Scope = { accountId: '000000000000', region: 'us-east-1' };

/** Opens `slice` (migrated) on a fresh in-memory SQLite database; `close` frees it. */
export function openSlice<S>(slice: StoreSlice<S>): S & { close(): Promise<void> } {
  const database = new SqliteDatabase(':memory:', TEST_SCOPE);
  // Assigned, not spread: a slice may be a class instance whose methods live on its prototype.
  return Object.assign(database.open(slice) as S & object, { close: async () => database.close() });
}
