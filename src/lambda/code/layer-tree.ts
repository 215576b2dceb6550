/**
 * A function's /opt: its layers' extracted trees overlaid in order, so that a later layer's
 * file replaces an earlier one's at the same path, as Lambda extracts layers one after the
 * other into /opt. Files are hard links into the layers' own extractions (copies across
 * filesystems); symlinks are recreated, never followed, so a layer cannot make another
 * layer's files land outside the tree.
 * https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
 */
import { createHash } from 'node:crypto';
import { copyFile, link, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The content address of an ordered layer list: the same layers in the same order, one tree. */
export function layerTreeKey(sha256Hexes: readonly string[]): string {
  return createHash('sha256').update(sha256Hexes.join('\n')).digest('hex');
}

/** Overlays each source directory onto `target` (an existing directory), in order. */
export async function overlayTrees(target: string, sources: readonly string[]): Promise<void> {
  for (const source of sources) await overlay(source, target);
}

async function overlay(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    const existing = await lstat(dest).catch(() => undefined);
    if (entry.isDirectory()) {
      // A directory merges with an earlier directory; it replaces an earlier file or symlink.
      if (existing && !existing.isDirectory()) await rm(dest, { force: true });
      if (!existing?.isDirectory()) await mkdir(dest, { mode: 0o755 });
      await overlay(src, dest);
      continue;
    }
    if (existing) await rm(dest, { recursive: true, force: true });
    if (entry.isSymbolicLink()) {
      await symlink(await readlink(src), dest);
    } else if (entry.isFile()) {
      await link(src, dest).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EXDEV' && err.code !== 'EPERM') throw err;
        return copyFile(src, dest);
      });
    }
  }
}
