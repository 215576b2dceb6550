/**
 * Decides, once at start-up, whether this host can sandbox: it builds a real sandbox the way
 * the launcher will (namespaces, mounts, the relay, the uid drop) and runs `true` in it. What
 * fails is the reason the server gives for refusing to start without `--sandbox none`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostInterpreters } from '../../runtimes/catalogue.js';
import { Cgroups } from '../cgroups/cgroups.js';
import { argsFile, bwrapArgs, type HostLayout } from './bwrap-args.js';
import { BwrapLauncher, type BwrapLauncherOptions } from './bwrap-launcher.js';
import { findHostLayout, findTool } from './host-layout.js';
import { findDiskTmpTools, prepareDiskTmp, PREPARE_TMP_AND_EXEC_BWRAP, tmpImageEnv, tmpImagePath, type DiskTmp } from './disk-tmp.js';
import { randomHex } from '../../shared/ids.js';
import type { Egress } from './sandbox-process.js';

/** What the launcher is asked for beyond isolation. */
export interface SandboxOptions {
  api?: BwrapLauncherOptions['api'];
  stemCells?: BwrapLauncherOptions['stemCells'];
  /**
   * Give sandboxes internet egress (slirp4netns, as root) when this host can; the directory gets
   * the sandboxes' resolv.conf. Absent: their own loopback only.
   */
  egressDir?: string;
  /** Put sandboxes' /tmp on disk in this directory (decision 11) when this host can; absent: a tmpfs. */
  diskTmpDir?: string;
}

/** The outcome of the probe. */
export interface SandboxSupport {
  /** Set when sandboxes work on this host. */
  launcher?: BwrapLauncher;
  /** Why they do not. */
  reason?: string;
  /** What a sandbox enforces here, for the start-up log. */
  enforced: Record<string, string>;
}

/** Probes bubblewrap and cgroups; never throws. */
export function sandboxSupport(host: HostInterpreters, options: SandboxOptions = {}): SandboxSupport {
  const { api, stemCells } = options;
  if (process.platform !== 'linux') return { reason: `sandboxes need Linux, this is ${process.platform}`, enforced: {} };
  const bwrap = findTool('bwrap');
  const layout = findHostLayout(host);
  const root = process.getuid?.() === 0;
  for (const [tool, path] of [['bwrap', bwrap], ['socat', layout.socat], ...(root ? [['setpriv', layout.setpriv]] : [])]) {
    if (!path!.startsWith('/')) return { reason: `${tool} is not installed (apt-get install ${tool === 'bwrap' ? 'bubblewrap' : tool})`, enforced: {} };
  }
  const failure = probe(bwrap, layout, root);
  if (failure) return { reason: `bubblewrap cannot build a sandbox here: ${failure}`, enforced: {} };
  const cgroups = root ? Cgroups.detect() : Cgroups.none();
  const egress = options.egressDir !== undefined ? findEgress(root, options.egressDir) : { why: 'not asked for (--egress none)' };
  const disk = options.diskTmpDir !== undefined ? findDiskTmp(bwrap, layout, root, options.diskTmpDir) : { why: 'not asked for' };
  const enforced = {
    namespaces: 'mount, pid, ipc, uts, net, cgroup',
    user: root ? 'own host uid per environment, no capabilities' : 'user namespace, uid 993',
    tmp: disk.disk ? 'ext4 of EphemeralStorage MB on disk (not counted as memory)' : `tmpfs of EphemeralStorage MB (counted as memory: ${disk.why})`,
    ...cgroups.describe(),
    network: egress.egress
      ? 'own loopback; internet through slirp4netns (the host loopback refused)'
      : `own loopback only, no internet: ${egress.why}`,
  };
  const launcher = new BwrapLauncher({
    bwrap, layout, cgroups, api, root,
    ...(stemCells ? { stemCells } : {}),
    ...(egress.egress ? { egress: egress.egress } : {}),
    ...(disk.disk ? { diskTmp: disk.disk } : {}),
  });
  return { launcher, enforced };
}

/**
 * Builds one real sandbox the way the launcher will and runs `true` in it; with `disk`, its
 * /tmp is a disk image made and mounted as at launch. Returns what failed, or undefined.
 */
function probe(bwrap: string, layout: HostLayout, root: boolean, disk?: DiskTmp): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-probe-'));
  let argsFd = -1;
  const image = disk ? tmpImagePath(disk, `${process.pid}-${randomHex(8)}`) : undefined;
  try {
    const code = join(dir, 'code');
    mkdirSync(code);
    writeFileSync(join(dir, 'endpoint'), '');
    const { options, command } = bwrapArgs(layout, {
      mounts: { codeDir: code, layerDirs: [], runtimeDir: code },
      endpoint: join(dir, 'endpoint'),
      tmpMb: 16,
      uid: root ? 200_000 : undefined,
      argv: ['/bin/true'],
      env: {},
      cwd: '/var/task',
      ...(disk ? { tmpDevice: { mount: disk.mount } } : {}),
    });
    // fd 3 carries the options, as at launch (from a file: spawnSync cannot feed a fourth pipe).
    writeFileSync(join(dir, 'args'), argsFile(options));
    argsFd = openSync(join(dir, 'args'), 'r');
    const run = spawnSync('/bin/sh', ['-c', PREPARE_TMP_AND_EXEC_BWRAP, 'nimbus-probe', ...command], {
      stdio: ['ignore', 'pipe', 'pipe', argsFd],
      timeout: 10_000,
      env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', BWRAP: bwrap, ...(disk && image ? tmpImageEnv(disk, image, 16) : {}) },
    });
    if (run.status !== 0) return `${run.stderr?.toString().trim() || run.error?.message || `exit ${run.status}`}`;
    return undefined;
  } finally {
    if (argsFd >= 0) closeSync(argsFd);
    rmSync(dir, { recursive: true, force: true });
    if (disk && image) spawnSync('/bin/sh', ['-c', `for d in $("${disk.losetup}" -j "$1" -n -O NAME); do "${disk.losetup}" -d "$d"; done; rm -f "$1"`, 'x', image], { stdio: 'ignore' });
  }
}

/** Disk-backed /tmp (decision 11) when this host can: root, loop devices, mkfs.ext4; else why not. */
function findDiskTmp(bwrap: string, layout: HostLayout, root: boolean, dir: string): { disk?: DiskTmp; why?: string } {
  if (!root) return { why: 'a disk /tmp needs the server to run as root' };
  const tools = findDiskTmpTools(findTool);
  if (!tools) return { why: 'no loop devices, mkfs.ext4 or losetup here' };
  const disk = { dir, ...tools };
  prepareDiskTmp(disk);
  const failure = probe(bwrap, layout, root, disk);
  return failure ? { why: `a disk /tmp does not work here: ${failure}` } : { disk };
}

/** slirp4netns and the sandboxes' resolv.conf, or why there is no egress. */
function findEgress(root: boolean, dir: string): { egress?: Egress; why?: string } {
  const slirp4netns = findTool('slirp4netns');
  if (!slirp4netns.startsWith('/')) return { why: 'slirp4netns is not installed (apt-get install slirp4netns)' };
  // Joining another network namespace needs root; unprivileged sandboxes would need their user namespace too.
  if (!root) return { why: 'egress needs the server to run as root' };
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, 'nameserver 10.0.2.3\n', { mode: 0o644 });
  return { egress: { slirp4netns, resolvConf } };
}
