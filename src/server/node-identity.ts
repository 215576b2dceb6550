/**
 * This node's id: kept in the data directory (`node-id`), not in the shared store, so that many
 * nodes sharing one database each have their own, and a restarted node is the same node again
 * (it reclaims what it had leased). The running server claims the id with `node.lock`, holding
 * its pid; a second server started on the same data directory while the first runs takes an
 * id of its own for its lifetime, so two live processes never share one.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface NodeIdentity {
  id: string;
  /** False for a second server on a data directory whose own id is in use. */
  persistent: boolean;
  /** Gives the id back (removes the lock), on shutdown. */
  release(): void;
}

/**
 * Claims the data directory's node id, or a fresh one when a live process holds it. `adopt` is
 * the id an older version kept in the store: taken over once, so what that node had leased is
 * its own again.
 */
export function claimNodeIdentity(dataDir: string, options: { adopt?: string; isAlive?: (pid: number) => boolean } = {}): NodeIdentity {
  const isAlive = options.isAlive ?? processIsAlive;
  const idFile = join(dataDir, 'node-id');
  const lockFile = join(dataDir, 'node.lock');
  let id = readText(idFile);
  if (!id) {
    id = options.adopt ?? randomUUID();
    writeFileSync(idFile, `${id}\n`, { mode: 0o600 });
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { id, persistent: true, release: () => releaseLock(lockFile) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readText(lockFile));
      // A lock left by a killed server: take it over.
      if (!Number.isInteger(holder) || holder <= 0 || holder === process.pid || !isAlive(holder)) rmSync(lockFile, { force: true });
      else break;
    }
  }
  return { id: randomUUID(), persistent: false, release: () => {} };
}

function releaseLock(lockFile: string): void {
  if (readText(lockFile) === String(process.pid)) rmSync(lockFile, { force: true });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
