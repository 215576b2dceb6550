import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimNodeIdentity } from './node-identity.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('node identity', () => {
  it('keeps one id in the data directory across restarts', () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-node-'));
    const first = claimNodeIdentity(dir);
    expect(first.persistent).toBe(true);
    first.release();
    const again = claimNodeIdentity(dir);
    expect(again.id).toBe(first.id);
    again.release();
  });

  it('gives a second live server on the same directory an id of its own', () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-node-'));
    writeFileSync(join(dir, 'node.lock'), '4242');
    const second = claimNodeIdentity(dir, { isAlive: (pid) => pid === 4242 });
    const first = claimNodeIdentity(dir, { isAlive: () => false });
    expect(second.persistent).toBe(false);
    expect(first.persistent).toBe(true);
    expect(second.id).not.toBe(first.id);
    first.release();
  });

  it('adopts the id an older version kept in the store, once', () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-node-'));
    const adopted = claimNodeIdentity(dir, { adopt: 'legacy-id' });
    expect(adopted.id).toBe('legacy-id');
    adopted.release();
    expect(claimNodeIdentity(dir, { adopt: 'other' }).id).toBe('legacy-id');
  });

  it('takes over the lock of a server that was killed', () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-node-'));
    const persisted = claimNodeIdentity(dir);
    writeFileSync(join(dir, 'node.lock'), '4242');
    const next = claimNodeIdentity(dir, { isAlive: () => false });
    expect(next).toMatchObject({ id: persisted.id, persistent: true });
    next.release();
  });
});
