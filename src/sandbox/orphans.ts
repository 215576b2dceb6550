/**
 * What a killed server leaves behind: cgroups, stem-cell directories, /tmp images named
 * `<server pid>-<hex>`, and its run directory `nimbus-run-<server pid>-<random>` (the server's
 * pid in the name says whose they are). A later start removes those whose server is gone; a
 * live server's (another one on this host) are left alone.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Calls `remove` with the path of every `<prefix><pid>-<random>` entry of `parent` whose process is gone. */
export function removeOrphans(parent: string, remove: (path: string) => void, prefix = ''): void {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-[0-9A-Za-z]+$/.exec(name.slice(prefix.length))?.[1];
    if (pid && !alive(Number(pid))) remove(join(parent, name));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
