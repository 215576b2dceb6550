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
export function sandboxSupport(
  host: HostInterpreters,
  api?: BwrapLauncherOptions['api'],
  stemCells?: BwrapLauncherOptions['stemCells'],
): SandboxSupport {
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
  const enforced = {
    namespaces: 'mount, pid, ipc, uts, net, cgroup',
    user: root ? 'own host uid per environment, no capabilities' : 'user namespace, uid 993',
    tmp: 'tmpfs of EphemeralStorage MB',
    ...cgroups.describe(),
  };
  return { launcher: new BwrapLauncher({ bwrap, layout, cgroups, api, root, ...(stemCells ? { stemCells } : {}) }), enforced };
}
