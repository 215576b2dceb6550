/**
 * /tmp on disk (decision 11). Lambda's /tmp is ephemeral storage, separate from the function's
 * memory; a tmpfs charges its pages to the memory cgroup, so a function writing 400 MB to /tmp
 * with 512 MB of memory would be killed. Each sandbox instead gets a sparse image file of
 * EphemeralStorage MB in `<data-dir>/tmp/`, formatted ext4 and attached to a loop device by the
 * host-side shell that starts bwrap (so the server's event loop never waits for it); the
 * sandbox's first process mounts it at /tmp (bwrap-args.ts). Page cache of those files can be
 * written back to disk, so it never pins the function's memory; a write past the size fails
 * with ENOSPC inside. When the sandbox is gone, the loop device is detached and the image
 * deleted; a killed server's leftovers go at the next start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeOrphans } from '../orphans.js';

/** The host tools and the directory disk-backed /tmp needs. */
export interface DiskTmp {
  /** Where the images are: `<data-dir>/tmp`. */
  dir: string;
  mkfs: string;
  losetup: string;
  /** `mount` as the sandbox sees it (host /usr is shown read-only at the same path). */
  mount: string;
}

/**
 * Host shell (sourced into the script that joins the cgroups): when `$TMPIMG` is set, makes the
 * image, attaches it, and passes the device to bwrap as /dev/nimbus-tmp; else starts bwrap as is.
 */
export const PREPARE_TMP_AND_EXEC_BWRAP = [
  'if [ -n "$TMPIMG" ]; then',
  '  truncate -s "${TMPMB}M" "$TMPIMG" &&',
  '    "$MKFS" -q -F -O ^has_journal -m 0 -E lazy_itable_init=1,lazy_journal_init=1 "$TMPIMG" </dev/null >/dev/null 2>&1 ||',
  '    { echo "nimbus: could not make /tmp" >&2; exit 72; }',
  '  dev=$("$LOSETUP" --find --show --direct-io=on "$TMPIMG") || { echo "nimbus: no loop device for /tmp" >&2; exit 72; }',
  '  exec "$BWRAP" --args 3 --dev-bind "$dev" /dev/nimbus-tmp "$@"',
  'fi',
  'exec "$BWRAP" --args 3 "$@"',
].join('\n');

/** The environment of the host shell for one sandbox's /tmp image. */
export function tmpImageEnv(disk: DiskTmp, image: string, sizeMb: number): Record<string, string> {
  return { TMPIMG: image, TMPMB: String(sizeMb), MKFS: disk.mkfs, LOSETUP: disk.losetup };
}

const RELEASE = 'for d in $("$LOSETUP" -j "$1" -n -O NAME); do "$LOSETUP" -d "$d"; done; rm -f "$1"';

/** Detaches the image's loop device (its mount went with the sandbox) and deletes it; never rejects. */
export function releaseTmpImage(disk: DiskTmp, image: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', RELEASE, 'nimbus-tmp-release', image], {
      env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LOSETUP: disk.losetup },
      stdio: 'ignore',
    });
    child.once('error', () => resolve());
    child.once('exit', () => resolve());
  });
}

/** Prepares `disk.dir` and removes the images (and loop devices) of servers that are gone. */
export function prepareDiskTmp(disk: DiskTmp): void {
  mkdirSync(disk.dir, { recursive: true, mode: 0o700 });
  removeOrphans(disk.dir, (image) => {
    spawnSync('/bin/sh', ['-c', RELEASE, 'nimbus-tmp-release', image], { env: { PATH: '/usr/bin:/bin', LOSETUP: disk.losetup }, stdio: 'ignore' });
    rmSync(image, { force: true });
  });
}

/** The tools, when this host has them all and loop devices; undefined otherwise. */
export function findDiskTmpTools(find: (tool: string) => string): Omit<DiskTmp, 'dir'> | undefined {
  const tools = { mkfs: find('mkfs.ext4'), losetup: find('losetup'), mount: find('mount') };
  if (!Object.values(tools).every((p) => p.startsWith('/')) || !existsSync('/dev/loop-control')) return undefined;
  return tools;
}

/** The image path of a sandbox with id `id` (named like cgroups, so orphans are found alike). */
export function tmpImagePath(disk: DiskTmp, id: string): string {
  return join(disk.dir, id);
}
