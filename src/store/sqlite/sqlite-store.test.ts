import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnRecord, storeBehaviour } from '../store.case.js';
import { SqliteStore } from './sqlite-store.js';

storeBehaviour('sqlite', async () => new SqliteStore(':memory:'));

describe('SqliteStore on disk', () => {
  it('keeps records across reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
    try {
      const first = new SqliteStore(join(dir, 'nimbus.db'));
      await first.functions.create(fnRecord('kept'));
      await first.close();
      const second = new SqliteStore(join(dir, 'nimbus.db'));
      expect((await second.functions.get('kept', '$LATEST'))?.name).toBe('kept');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
