/**
 * The bubblewrap command line of one environment, as a pure function of the host's layout and
 * the environment's mounts. Namespaces: mount, PID, IPC, UTS, network (its own loopback only),
 * cgroup. The root is an empty tmpfs with read-only binds of exactly what runtimes need; the
 * process runs as an unprivileged uid with no capabilities, in a new session.
 * https://github.com/containers/bubblewrap/blob/main/bwrap.xml
 */
import type { EnvironmentMounts } from '../environment-view.js';
import { API_SOCKET, LAYER_ROOT, RUN_DIR, RUNTIME_API_PORT, RUNTIME_API_SOCKET, RUNTIME_ROOT, TASK_ROOT, TMP_DEVICE } from './sandbox-paths.js';

/** What of the host a sandbox shows, found once at start-up (`host-layout.ts`). */
export interface HostLayout {
  /** Top-level symlinks of a merged-/usr host, e.g. `/bin` → `usr/bin`. */
  symlinks: Record<string, string>;
  /** Directories shown read-only at the same path: /usr, real /bin or /lib, interpreter prefixes. */
  readOnlyDirs: string[];
  /** Files and directories of /etc that exist and runtimes read (dynamic linker, TLS roots). */
  etc: string[];
  /** setpriv, to drop to the environment's uid when the server runs as root. */
  setpriv: string;
  /** socat, the relay from the sandbox's loopback to the Runtime API socket. */
  socat: string;
}

/** One environment's sandbox. */
export interface SandboxRequest {
  mounts: EnvironmentMounts;
  /** Host path of the environment's Runtime API socket (bound at /run/nimbus/runtime-api.sock). */
  endpoint?: string;
  /**
   * A stem cell's run directory (decision 9), shown read-only at /run/nimbus instead of the
   * socket binds: the server links the sockets into it, the environment's own when it binds.
   */
  runDir?: string;
  /** The server's API socket and the port functions reach it on (AWS_ENDPOINT_URL), if any. */
  api?: { socket: string; port: number };
  tmpMb: number;
  /**
   * /tmp on disk (decision 11): the launcher gives the sandbox a loop device holding an ext4 of
   * `tmpMb` at /dev/nimbus-tmp, and the sandbox's first process (still root, with only
   * CAP_SYS_ADMIN) mounts it before dropping to the environment's uid. Absent: a tmpfs, whose
   * pages count against the memory limit. Only with `uid` (a server that is root).
   */
  tmpDevice?: { mount: string };
  /**
   * Internet egress through slirp4netns (started by the launcher once the sandbox exists): the
   * sandbox gets slirp's DNS as its resolv.conf and waits for the route before the runtime starts.
   */
  egress?: { resolvConf: string };
  /**
   * Host uid/gid to run as when the server is root (no user namespace needed); undefined when
   * it is not, and a user namespace maps an unprivileged uid instead.
   */
  uid?: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * The relay, run as the sandbox's first process: forwards the loopback ports to the mounted
 * sockets, waits until they listen (a runtime connects at once), then becomes the runtime.
 * Readiness comes from the namespace's own /proc/net/tcp: no sleeps, no extra process. With
 * `egress`, it also waits for the default route slirp4netns configures on tap0 (so a function's
 * first outbound call does not race it), and goes on without one after a while, saying so.
 */
export function relayScript(ports: number[], egress = false): string {
  const wanted = ports.map((p) => `0100007F:${p.toString(16).toUpperCase().padStart(4, '0')}`);
  const route = egress
    ? [
        '  if [ -z "$routed" ]; then',
        '    while read -r iface dest _; do [ "$iface" = tap0 ] && [ "$dest" = 00000000 ] && routed=1; done < /proc/net/route',
        '    [ -n "$routed" ] || [ "$n" -lt 20000 ] || { echo "nimbus: no internet egress: the network relay did not start" >&2; routed=0; }',
        '  fi',
      ]
    : [];
  return [
    // With egress: tell the launcher on fd 5 that bwrap is done with the network namespace, so
    // slirp4netns may configure it now; the runtime never gets the fd.
    ...(egress ? ['{ echo up >&5; } 2>/dev/null', 'exec 5>&-', 'routed='] : []),
    'n=0',
    'while :; do',
    '  up=0',
    '  while read -r _ local _ st _; do',
    `    case "$local" in ${wanted.join('|')}) [ "$st" = 0A ] && up=$((up+1)) ;; esac`,
    '  done < /proc/net/tcp',
    ...route,
    `  [ "$up" -ge ${ports.length} ]${egress ? ' && [ -n "$routed" ]' : ''} && break`,
    '  n=$((n+1))',
    '  [ "$n" -lt 200000 ] || { echo "nimbus: the Runtime API relay did not start" >&2; exit 70; }',
    'done',
    // The shell exports the PWD it set itself; the runtime gets exactly the variables it is given.
    'unset PWD',
    'exec "$@"',
  ].join('\n');
}

/** bwrap's command line: options (passed through `--args`, as they carry the function's variables) and the command. */
export interface BwrapCommand {
  options: string[];
  command: string[];
}

/** The bubblewrap options and command of one environment. */
export function bwrapArgs(layout: HostLayout, req: SandboxRequest): BwrapCommand {
  const { mounts } = req;
  const a: string[] = [
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--unshare-cgroup-try',
    '--die-with-parent', '--new-session', '--hostname', 'localhost',
  ];
  if (req.uid === undefined) a.push('--unshare-user', '--uid', '993', '--gid', '990');
  // Directories bwrap creates on the new root default to 0700 when run as root: make every
  // parent of a mount point traversable (e.g. /root for a pyenv Python), and nothing more.
  const parents = new Set(['/etc', '/var', '/run', RUN_DIR]);
  for (const dir of layout.readOnlyDirs) for (const p of ancestors(dir)) parents.add(p);
  for (const dir of [...parents].sort()) a.push('--perms', '0755', '--dir', dir);
  for (const dir of layout.readOnlyDirs) a.push('--ro-bind', dir, dir);
  for (const [link, target] of Object.entries(layout.symlinks)) a.push('--symlink', target, link);
  for (const path of layout.etc) a.push('--ro-bind', path, path);
  if (req.egress) a.push('--ro-bind', req.egress.resolvConf, '/etc/resolv.conf');
  a.push('--ro-bind', mounts.codeDir, TASK_ROOT);
  a.push('--ro-bind', mounts.runtimeDir, RUNTIME_ROOT);
  if (mounts.layerDirs.length > 1) throw new Error('more than one layer needs a merged /opt, which is not supported yet');
  if (mounts.layerDirs[0]) a.push('--ro-bind', mounts.layerDirs[0], LAYER_ROOT);
  if (req.runDir !== undefined) {
    a.push('--ro-bind', req.runDir, RUN_DIR);
  } else {
    if (req.endpoint === undefined) throw new Error('a sandbox needs its Runtime API endpoint or a run directory');
    a.push('--bind', req.endpoint, RUNTIME_API_SOCKET);
    if (req.api) a.push('--bind', req.api.socket, API_SOCKET);
  }
  a.push('--proc', '/proc', '--dev', '/dev');
  const diskTmp = req.tmpDevice !== undefined && req.uid !== undefined;
  if (diskTmp) a.push('--dir', '/tmp', '--cap-add', 'CAP_SYS_ADMIN');
  else a.push('--perms', '1777', '--size', String(req.tmpMb * 1024 * 1024), '--tmpfs', '/tmp');
  a.push('--chdir', req.cwd, '--clearenv');
  for (const [k, v] of Object.entries(req.env)) a.push('--setenv', k, v);

  const relays = [`${layout.socat} TCP-LISTEN:${RUNTIME_API_PORT},bind=127.0.0.1,reuseaddr,fork,nodelay UNIX-CONNECT:${RUNTIME_API_SOCKET} &`];
  const ports = [RUNTIME_API_PORT];
  if (req.api) {
    relays.push(`${layout.socat} TCP-LISTEN:${req.api.port},bind=127.0.0.1,reuseaddr,fork,nodelay UNIX-CONNECT:${API_SOCKET} &`);
    ports.push(req.api.port);
  }
  const script = [...relays, relayScript(ports, req.egress !== undefined)].join('\n');
  const command: string[] = [];
  if (diskTmp) {
    // The one thing done with a capability: mount /tmp. setpriv then drops it with everything else.
    // mkfs made lost+found; Lambda's /tmp starts empty.
    const mount = `${req.tmpDevice!.mount} -o nosuid,nodev,noatime ${TMP_DEVICE} /tmp`;
    command.push('/bin/sh', '-c', `${mount} && { rmdir /tmp/lost+found 2>/dev/null; chmod 1777 /tmp; } && exec "$@"`, 'nimbus-tmp');
  }
  if (req.uid !== undefined) {
    // Root needs no user namespace: drop to the environment's own host uid, with no
    // capabilities left in any set, before anything of the function runs.
    command.push(layout.setpriv, `--reuid=${req.uid}`, `--regid=${req.uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--');
  }
  command.push('/bin/sh', '-c', script, 'nimbus-relay', ...req.argv);
  return { options: a, command };
}

/** `/a/b/c` → `/a`, `/a/b`. */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** The argument file bwrap reads with `--args`: NUL-terminated strings. */
export function argsFile(args: string[]): Buffer {
  return Buffer.from(args.map((s) => `${s}\0`).join(''));
}
