/**
 * Starts one bubblewrap sandbox inside its own cgroup(s), as its own host uid when the server is
 * root, and reports it as a `LaunchedProcess`. Shared by ordinary launches and stem cells
 * (decision 9), which differ only in what they mount and that a cell keeps a pipe to its stdin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as os } from 'node:os';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { randomHex } from '../../shared/ids.js';
import type { Cgroups, EnvironmentCgroup } from '../cgroups/cgroups.js';
import type { LaunchedProcess, ProcessExit } from '../launcher.js';
import type { ResourceLimits } from '../resource-limits.js';
import { argsFile, bwrapArgs, type HostLayout, type SandboxRequest } from './bwrap-args.js';
import { PREPARE_TMP_AND_EXEC_BWRAP, releaseTmpImage, tmpImageEnv, tmpImagePath, type DiskTmp } from './disk-tmp.js';
import type { UidPool } from './uid-pool.js';

/**
 * Joins the cgroups named before `--`, then becomes bwrap with the words after it; everything
 * it starts inherits the cgroups. Only `cgroup.procs` files are ever written to. With a disk
 * /tmp, it makes and attaches the image first (disk-tmp.ts), off the server's event loop.
 */
const JOIN_CGROUPS = [
  'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do',
  '  case "$1" in /*/cgroup.procs) echo $$ > "$1" || exit 71 ;; *) exit 71 ;; esac',
  '  shift',
  'done',
  '[ "$1" = -- ] || exit 71',
  'shift',
  PREPARE_TMP_AND_EXEC_BWRAP,
].join('\n');

/** What every sandbox of one launcher shares. */
export interface SandboxHost {
  bwrap: string;
  layout: HostLayout;
  cgroups: Cgroups;
  /** Host uids for environments; undefined when the server is not root (a user namespace maps one). */
  uids?: UidPool;
  /** Internet egress for every sandbox through slirp4netns; absent: its own loopback only. */
  egress?: Egress;
  /** /tmp on disk (decision 11); absent: a tmpfs. Used only with `uids` (a root server). */
  diskTmp?: DiskTmp;
}

/** How sandboxes reach the internet (decision 10). */
export interface Egress {
  slirp4netns: string;
  /** A resolv.conf naming slirp's DNS forwarder (10.0.2.3), shown at /etc/resolv.conf. */
  resolvConf: string;
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
  const egress = host.egress;
  const disk = uid !== undefined ? host.diskTmp : undefined;
  const image = disk ? tmpImagePath(disk, id) : undefined;
  const { options: bwrapOptions, command } = bwrapArgs(host.layout, {
    ...request,
    uid,
    ...(egress ? { egress: { resolvConf: egress.resolvConf } } : {}),
    ...(disk ? { tmpDevice: { mount: disk.mount } } : {}),
  });
  // bwrap says on fd 4 which host pid the sandbox's first process has: slirp4netns joins its network namespace.
  if (egress) bwrapOptions.push('--info-fd', '4');
  // Nothing of the function's environment reaches the host-side shell or bwrap (LD_PRELOAD
  // would run as root there): its variables travel in bwrap's --args file on fd 3.
  const child = spawn('/bin/sh', ['-c', JOIN_CGROUPS, 'nimbus-sandbox', ...cgroup.procsFiles, '--', ...command], {
    env: {
      PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
      BWRAP: host.bwrap,
      ...(disk && image ? tmpImageEnv(disk, image, request.tmpMb) : {}),
    },
    detached: true,
    // With egress: fd 4 is bwrap's info (the sandbox's pid), fd 5 the sandbox saying it is set up.
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe', ...(egress ? (['pipe', 'pipe'] as const) : [])],
  });
  (child.stdio[3] as Writable).on('error', () => {}).end(argsFile(bwrapOptions));
  const extra = child.stdio as unknown as Readable[];
  const network = egress ? connectEgress(egress, extra[4]!, extra[5]!) : undefined;
  const stdin = options.stdin ? child.stdin!.on('error', () => {}) : undefined;
  const pid = child.pid ?? -1;
  let finalPeakMb = 0;
  let done = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    const finish = (exit: ProcessExit) => {
      if (done) return;
      done = true;
      network?.close();
      finalPeakMb = cgroup.peakMb();
      const outOfMemory = cgroup.oomKilled();
      // Gone means gone: the cgroup is removed before the exit is reported, so a draining
      // server that exits right after leaves nothing behind.
      void cgroup
        .remove()
        .then(() => (disk && image ? releaseTmpImage(disk, image) : undefined))
        .finally(() => {
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

/**
 * Starts slirp4netns for the sandbox whose info bwrap writes to `info`, once the sandbox says on
 * `ready` that bwrap has finished with its network namespace (configuring both at once makes
 * bwrap's own loopback set-up fail): a user-mode network stack
 * in the sandbox's network namespace (tap0, 10.0.2.100, default route, DNS at 10.0.2.3) that
 * opens ordinary sockets on the host for it. The host's loopback is refused, so the sandbox
 * still reaches only its own Runtime API and Nimbus's API relay there; slirp4netns confines
 * itself (its own namespaces, seccomp) before it handles a packet. It ends when `close()` is
 * called or this server dies: its exit fd is a pipe only this process holds.
 */
function connectEgress(egress: Egress, info: Readable, ready: Readable): { close(): void } {
  let text = '';
  let pid: string | undefined;
  let isReady = false;
  let slirp: ChildProcess | undefined;
  let closed = false;
  const start = () => {
    if (slirp || closed || !pid || !isReady) return;
    slirp = spawn(
      egress.slirp4netns,
      ['--configure', '--mtu=65520', '--disable-host-loopback', '--enable-sandbox', '--enable-seccomp', '--exit-fd=3', pid, 'tap0'],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } },
    );
    slirp.on('error', () => {});
    (slirp.stdio[3] as Writable).on('error', () => {});
  };
  info.setEncoding('utf8');
  info.on('error', () => {});
  info.on('data', (chunk: string) => {
    text += chunk;
    pid ??= /"child-pid"\s*:\s*(\d+)/.exec(text)?.[1];
    start();
  });
  ready.on('error', () => {});
  ready.once('data', () => {
    isReady = true;
    start();
  });
  return {
    close() {
      closed = true;
      // Closing our end of its exit fd ends it.
      (slirp?.stdio[3] as Writable | undefined)?.destroy();
      info.destroy();
      ready.destroy();
    },
  };
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
