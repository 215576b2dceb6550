import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LEGACY_MIGRATIONS } from '../../store/sqlite/legacy-schema.js';
import { SqliteDatabase } from '../../store/sqlite/sqlite-database.js';
import { LAMBDA_SLICE } from './lambda-slice.js';
import { fnRecord, HERE, lambdaStoreBehaviour } from './lambda-store.case.js';

lambdaStoreBehaviour('sqlite', async () => {
  const database = new SqliteDatabase(':memory:', HERE);
  return Object.assign(database.open(LAMBDA_SLICE), { close: async () => database.close() });
});

describe('Lambda slice on disk', () => {
  it('keeps records across reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
    try {
      const first = new SqliteDatabase(join(dir, 'nimbus.db'), HERE);
      await first.open(LAMBDA_SLICE).at(HERE).functions.create(fnRecord('kept'));
      first.close();
      const second = new SqliteDatabase(join(dir, 'nimbus.db'), HERE);
      expect((await second.open(LAMBDA_SLICE).at(HERE).functions.get('kept', '$LATEST'))?.name).toBe('kept');
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adopts a legacy database’s functions, versions and queue into the server’s own scope', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
    const scope = { accountId: '123456789012', region: 'eu-west-1' };
    try {
      const path = join(dir, 'nimbus.db');
      const old = new Database(path);
      for (const m of LEGACY_MIGRATIONS) old.exec(m);
      old.pragma(`user_version = ${LEGACY_MIGRATIONS.length}`);
      const record = fnRecord('legacy');
      old.prepare('INSERT INTO functions (name, version, revision_id, code_size, data) VALUES (?, ?, ?, ?, ?)').run('legacy', '$LATEST', 'r1', 100, JSON.stringify(record));
      old.prepare('INSERT INTO function_version_counters (name, last_version) VALUES (?, ?)').run('legacy', 4);
      old
        .prepare('INSERT INTO async_events (id, function_name, qualifier, payload, received_at, attempts, throttles, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run('e1', 'legacy', '$LATEST', Buffer.from('{}'), 1, 0, 0, 1);
      old.close();
      const database = new SqliteDatabase(path, scope);
      const lambda = database.open(LAMBDA_SLICE);
      expect((await lambda.at(scope).functions.get('legacy', '$LATEST'))?.handler).toBe('index.handler');
      expect(await lambda.at(HERE).functions.get('legacy', '$LATEST')).toBeUndefined();
      // The counter came along: the next version is 5, never a number used before.
      expect((await lambda.at(scope).functions.publishVersion(record)).version).toBe('5');
      expect(await lambda.asyncEvents.claim(10, 1000, 10, 'n')).toMatchObject([{ id: 'e1', ...scope }]);
      database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
