/**
 * Fills a stem cell's empty task directory from a function's extracted code (decision 9): the
 * tree is recreated with hard links to the code store's files, so a bind costs a link per file,
 * not a copy. The source was validated when it was extracted (`zip-extract.ts`); the walk still
 * never follows a link: directories are made, symlinks recreated as symlinks, regular files
 * linked (copied when the two directories are on different filesystems), anything else skipped.
 * The target is a directory the server just made from its own random id, so nothing in the
 * package can redirect a write.
 */
import { copyFileSync, constants, chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Recreates the tree under `source` inside the existing, empty directory `target`. */
export function linkTree(source: string, target: string): void {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(to);
      linkTree(from, to);
      // After its contents: the mode may drop write permission, which the walk itself needs.
      chmodSync(to, lstatSync(from).mode & 0o7777);
    } else if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
    } else if (entry.isFile()) {
      linkFile(from, to);
    }
  }
}

function linkFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    chmodSync(to, lstatSync(from).mode & 0o7777);
  }
}
