/**
 * Starts one bubblewrap sandbox inside its own cgroup(s), as its own host uid when the server is
 * root, and reports it as a `LaunchedProcess`. Shared by ordinary launches and stem cells
 * (decision 9), which differ only in what they mount and that a cell keeps a pipe to its stdin.
 */
import { spawn } from 'node:child_process';
import { constants as os } from 'node:os';
import { PassThrough, type Writable } from 'node:stream';
import { randomHex } from '../../shared/ids.js';
import type { Cgroups, EnvironmentCgroup } from '../cgroups/cgroups.js';
import type { LaunchedProcess, ProcessExit } from '../launcher.js';
import type { ResourceLimits } from '../resource-limits.js';
import { argsFile, bwrapArgs, type HostLayout, type SandboxRequest } from './bwrap-args.js';
import type { UidPool } from './uid-pool.js';

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

/** What every sandbox of one launcher shares. */
export interface SandboxHost {
  bwrap: string;
  layout: HostLayout;
  cgroups: Cgroups;
  /** Host uids for environments; undefined when the server is not root (a user namespace maps one). */
  uids?: UidPool;
}

/** A started sandbox: the process, its cgroup, and (when asked for) a pipe to its stdin. */
export interface SandboxProcess {
  process: LaunchedProcess;
  cgroup: EnvironmentCgroup;
  stdin?: Writable;
}

/** Starts the sandbox `request` (its `uid` is taken here) with `limits`. Throws when its cgroup cannot be made. */
export function startSandbox(
  host: SandboxHost,
  request: Omit<SandboxRequest, 'uid'>,
  limits: ResourceLimits,
  options: { stdin?: boolean } = {},
): SandboxProcess {
  // The server's pid in the name lets a later start remove what a killed server left behind.
  const id = `${process.pid}-${randomHex(8)}`;
  const uid = host.uids?.take();
  let cgroup: EnvironmentCgroup;
  try {
    cgroup = host.cgroups.create(id, limits);
  } catch (err) {
    if (uid !== undefined) host.uids?.release(uid);
    throw err;
  }
  const { options: bwrapOptions, command } = bwrapArgs(host.layout, { ...request, uid });
  // Nothing of the function's environment reaches the host-side shell or bwrap (LD_PRELOAD
  // would run as root there): its variables travel in bwrap's --args file on fd 3.
  const child = spawn('/bin/sh', ['-c', JOIN_CGROUPS, 'nimbus-sandbox', ...cgroup.procsFiles, '--', ...command], {
    env: { PATH: '/usr/bin:/bin', BWRAP: host.bwrap },
    detached: true,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  (child.stdio[3] as Writable).on('error', () => {}).end(argsFile(bwrapOptions));
  const stdin = options.stdin ? child.stdin!.on('error', () => {}) : undefined;
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
        if (uid !== undefined) host.uids?.release(uid);
        resolve(outOfMemory ? { ...exit, outOfMemory } : exit);
      });
    };
    child.once('exit', (code, signal) => finish(fromBwrap(code, signal)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish({ code: null, signal: null, error: err.code ?? 'EUNKNOWN' });
    });
  });
  const launched: LaunchedProcess = {
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
  return { process: launched, cgroup, ...(stdin ? { stdin } : {}) };
}

/** bwrap exits with 128+N when its command died of signal N: report the signal, as spawn would. */
function fromBwrap(code: number | null, signal: NodeJS.Signals | null): ProcessExit {
  if (signal || code === null || code <= 128) return { code, signal };
  const name = Object.entries(os.signals).find(([, n]) => n === code - 128)?.[0];
  return name ? { code: null, signal: name } : { code, signal };
}

/** A process that never started, reported the way spawn reports it. */
export function notStarted(error: string): LaunchedProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.end();
  stderr.end();
  return { pid: -1, stdout, stderr, exited: Promise.resolve({ code: null, signal: null, error }), kill() {} };
}
