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
import { argsFile, bwrapArgs } from './bwrap-args.js';
import { BwrapLauncher, type BwrapLauncherOptions } from './bwrap-launcher.js';
import { findHostLayout, findTool } from './host-layout.js';
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
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-probe-'));
  let argsFd = -1;
  try {
    const code = join(dir, 'code');
    mkdirSync(code);
    writeFileSync(join(dir, 'endpoint'), '');
    const { options, command } = bwrapArgs(layout, {
      mounts: { codeDir: code, layerDirs: [], runtimeDir: code },
      endpoint: join(dir, 'endpoint'),
      tmpMb: 1,
      uid: root ? 200_000 : undefined,
      argv: ['/bin/true'],
      env: {},
      cwd: '/var/task',
    });
    // fd 3 carries the options, as at launch (from a file: spawnSync cannot feed a fourth pipe).
    writeFileSync(join(dir, 'args'), argsFile(options));
    argsFd = openSync(join(dir, 'args'), 'r');
    const run = spawnSync(bwrap, ['--args', '3', ...command], {
      stdio: ['ignore', 'pipe', 'pipe', argsFd],
      timeout: 10_000,
      env: { PATH: '/usr/bin:/bin' },
    });
    if (run.status !== 0) {
      const why = `${run.stderr?.toString().trim() || run.error?.message || `exit ${run.status}`}`;
      return { reason: `bubblewrap cannot build a sandbox here: ${why}`, enforced: {} };
    }
  } finally {
    if (argsFd >= 0) closeSync(argsFd);
    rmSync(dir, { recursive: true, force: true });
  }
  const cgroups = root ? Cgroups.detect() : Cgroups.none();
  const egress = options.egressDir !== undefined ? findEgress(root, options.egressDir) : { why: 'not asked for (--egress none)' };
  const enforced = {
    namespaces: 'mount, pid, ipc, uts, net, cgroup',
    user: root ? 'own host uid per environment, no capabilities' : 'user namespace, uid 993',
    tmp: 'tmpfs of EphemeralStorage MB',
    ...cgroups.describe(),
    network: egress.egress
      ? 'own loopback; internet through slirp4netns (the host loopback refused)'
      : `own loopback only, no internet: ${egress.why}`,
  };
  const launcher = new BwrapLauncher({
    bwrap, layout, cgroups, api, root,
    ...(stemCells ? { stemCells } : {}),
    ...(egress.egress ? { egress: egress.egress } : {}),
  });
  return { launcher, enforced };
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
