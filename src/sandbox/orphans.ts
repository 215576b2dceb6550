/**
 * What a killed server leaves behind: cgroups and stem-cell directories named `<server pid>-<hex>`
 * (the server's pid in the name says whose they are). A later start removes those whose server
 * is gone; a live server's (another one on this host) are left alone.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Calls `remove` with the path of every `<pid>-<hex>` entry of `parent` whose process is gone. */
export function removeOrphans(parent: string, remove: (path: string) => void): void {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^(\d+)-[0-9a-f]+$/.exec(name)?.[1];
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
