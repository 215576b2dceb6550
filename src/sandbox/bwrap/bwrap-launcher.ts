/**
 * BwrapLauncher: runs each environment in its own bubblewrap sandbox (`bwrap-args.ts` says what
 * it sees) inside its own cgroup (`cgroups/`), as its own unprivileged uid. The Runtime API
 * reaches it through a unix socket mounted into the sandbox and relayed to 127.0.0.1:9001 on
 * the sandbox's private loopback, so no environment can reach another's endpoint.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as os } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import type { HostInterpreters } from '../../runtimes/catalogue.js';
import { randomHex } from '../../shared/ids.js';
import type { Cgroups, EnvironmentCgroup } from '../cgroups/cgroups.js';
import type { EnvironmentMounts, EnvironmentView } from '../environment-view.js';
import type { LaunchedProcess, LaunchSpec, Launcher, ProcessExit } from '../launcher.js';
import { argsFile, bwrapArgs, type HostLayout } from './bwrap-args.js';
import { LAYER_ROOT, RUNTIME_API_PORT, RUNTIME_ROOT, TASK_ROOT } from './sandbox-paths.js';
import { UidPool } from './uid-pool.js';

/** What the launcher is built from, found once at start-up. */
export interface BwrapLauncherOptions {
  bwrap: string;
  layout: HostLayout;
  cgroups: Cgroups;
  /** The server's API socket and port, for AWS_ENDPOINT_URL inside; read at each launch. */
  api?: () => { socket: string; port: number } | undefined;
  /** Run as root: each environment gets its own host uid from this range. */
  root: boolean;
}

/** Host uids for environments: far above the ones a distribution hands out. */
const UID_BASE = 200_000;
const UID_COUNT = 50_000;

/**
 * Joins the cgroups named before `--`, then becomes bwrap with the words after it; everything
 * it starts inherits the cgroups. Only `cgroup.procs` files are ever written to.
 */
const JOIN_CGROUPS = [
  'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do',
  '  case "$1" in /*/cgroup.procs) echo $$ > "$1" || exit 71 ;; *) exit 71 ;; esac',
  '  shift',
  'done',
  '[ "$1" = -- ] || exit 71',
  'shift',
  'exec "$BWRAP" --args 3 "$@"',
].join('\n');

/** Starts each runtime in a bubblewrap sandbox with cgroup limits. */
export class BwrapLauncher implements Launcher {
  private readonly uids = new UidPool(UID_BASE, UID_COUNT);

  constructor(private readonly o: BwrapLauncherOptions) {}

  view(mounts: EnvironmentMounts, host: HostInterpreters): EnvironmentView {
    return {
      taskRoot: TASK_ROOT,
      layerRoots: mounts.layerDirs.length > 0 ? [LAYER_ROOT] : [],
      runtimeDir: RUNTIME_ROOT,
      // Interpreters are mounted at their host paths (see host-layout.ts).
      host,
      runtimeApi: `127.0.0.1:${RUNTIME_API_PORT}`,
    };
  }

  launch(spec: LaunchSpec): LaunchedProcess {
    const [file] = spec.argv;
    if (file === undefined) throw new Error('BwrapLauncher: empty argv');
    // What spawn reports for a plain process, found before the sandbox is built: inside it,
    // the shell would only say "not found" with an exit status.
    const missing = cannotExecute(hostPathOf(file, spec.mounts));
    if (missing) return notStarted(missing);

    // The server's pid in the name lets a later start remove what a killed server left behind.
    const id = `${process.pid}-${randomHex(8)}`;
    const uid = this.o.root ? this.uids.take() : undefined;
    let cgroup: EnvironmentCgroup;
    try {
      cgroup = this.o.cgroups.create(id, spec.limits);
    } catch (err) {
      if (uid !== undefined) this.uids.release(uid);
      throw err;
    }
    const { options, command } = bwrapArgs(this.o.layout, {
      mounts: spec.mounts,
      endpoint: spec.endpoint,
      api: this.o.api?.(),
      tmpMb: spec.limits.tmpMb,
      uid,
      argv: spec.argv,
      env: spec.env,
      cwd: spec.cwd,
    });
    // Nothing of the function's environment reaches the host-side shell or bwrap (LD_PRELOAD
    // would run as root there): its variables travel in bwrap's --args file on fd 3.
    const child = spawn('/bin/sh', ['-c', JOIN_CGROUPS, 'nimbus-sandbox', ...cgroup.procsFiles, '--', ...command], {
      env: { PATH: '/usr/bin:/bin', BWRAP: this.o.bwrap },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    (child.stdio[3] as Writable).on('error', () => {}).end(argsFile(options));
    const pid = child.pid ?? -1;
    let finalPeakMb = 0;
    let done = false;
    const exited = new Promise<ProcessExit>((resolve) => {
      const finish = (exit: ProcessExit) => {
        if (done) return;
        done = true;
        finalPeakMb = cgroup.peakMb();
        const outOfMemory = cgroup.oomKilled();
        // Gone means gone: the cgroup is removed before the exit is reported, so a draining
        // server that exits right after leaves nothing behind.
        void cgroup.remove().finally(() => {
          if (uid !== undefined) this.uids.release(uid);
          resolve(outOfMemory ? { ...exit, outOfMemory } : exit);
        });
      };
      child.once('exit', (code, signal) => finish(fromBwrap(code, signal)));
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (child.pid === undefined) finish({ code: null, signal: null, error: err.code ?? 'EUNKNOWN' });
      });
    });
    return {
      pid,
      stdout: child.stdout!,
      stderr: child.stderr!,
      exited,
      kill(signal: NodeJS.Signals = 'SIGKILL') {
        if (pid <= 0 || done) return;
        try {
          // bwrap leads the group; its death takes the sandbox's PID namespace with it
          // (--die-with-parent), whatever sessions the function made inside.
          process.kill(-pid, signal);
        } catch {
          // ESRCH: already gone
        }
      },
      memoryPeakMb: () => (done ? finalPeakMb : cgroup.peakMb()),
    };
  }
}

/** bwrap exits with 128+N when its command died of signal N: report the signal, as spawn would. */
function fromBwrap(code: number | null, signal: NodeJS.Signals | null): ProcessExit {
  if (signal || code === null || code <= 128) return { code, signal };
  const name = Object.entries(os.signals).find(([, n]) => n === code - 128)?.[0];
  return name ? { code: null, signal: name } : { code, signal };
}

/** The host path behind a path seen inside the sandbox. */
function hostPathOf(path: string, mounts: EnvironmentMounts): string {
  const under = (root: string) => path === root || path.startsWith(`${root}/`);
  if (under(TASK_ROOT)) return join(mounts.codeDir, path.slice(TASK_ROOT.length));
  if (under(RUNTIME_ROOT)) return join(mounts.runtimeDir, path.slice(RUNTIME_ROOT.length));
  if (under(LAYER_ROOT) && mounts.layerDirs[0]) return join(mounts.layerDirs[0], path.slice(LAYER_ROOT.length));
  return path;
}

/** ENOENT or EACCES when `path` cannot be executed, else undefined. */
function cannotExecute(path: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
}

/** A process that never started, reported the way spawn reports it. */
function notStarted(error: string): LaunchedProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.end();
  stderr.end();
  return { pid: -1, stdout, stderr, exited: Promise.resolve({ code: null, signal: null, error }), kill() {} };
}
