/**
 * ProcessLauncher: runs the runtime as a plain child process, unsandboxed (`--sandbox none`).
 * Each process leads its own process group so that `kill` reaches whatever the runtime forked
 * (a bash bootstrap's curl, a handler's subprocesses) and nothing else.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { HostInterpreters } from '../runtimes/catalogue.js';
import { hostView, type EnvironmentMounts, type EnvironmentView } from './environment-view.js';
import type { LaunchedProcess, LaunchSpec, Launcher, ProcessExit } from './launcher.js';

/** Starts each runtime as a detached child with exactly the environment it is given. */
export class ProcessLauncher implements Launcher {
  view(mounts: EnvironmentMounts, host: HostInterpreters, endpoint: string): EnvironmentView {
    return hostView(mounts, host, endpoint);
  }

  launch(spec: LaunchSpec): LaunchedProcess {
    const [file, ...args] = spec.argv;
    if (file === undefined) throw new Error('ProcessLauncher: empty argv');
    // `env` replaces process.env entirely: an inherited NODE_OPTIONS or NODE_EXTRA_CA_CERTS
    // would change (and slow down) every function; `detached` makes a new process group.
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid ?? -1;
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.on('error', (err: NodeJS.ErrnoException) => {
        // 'error' without 'exit' means the executable never ran (ENOENT, EACCES, ...).
        if (child.pid === undefined) resolve({ code: null, signal: null, error: err.code ?? 'EUNKNOWN' });
      });
    });
    return {
      pid,
      stdout: child.stdout,
      stderr: child.stderr,
      exited,
      kill(signal: NodeJS.Signals = 'SIGKILL') {
        if (pid <= 0) return;
        try {
          process.kill(-pid, signal);
        } catch {
          // ESRCH: the whole group is already gone.
        }
      },
      memoryPeakMb: () => readPeakMb(pid),
    };
  }
}

/** VmHWM ("high water mark" of resident memory) of `pid`, in MB; 0 when unreadable. */
export function readPeakMb(pid: number): number {
  if (pid <= 0) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const at = status.indexOf('VmHWM:');
    if (at < 0) return 0;
    const kb = Number.parseInt(status.slice(at + 6, status.indexOf('\n', at)), 10);
    return Number.isFinite(kb) ? kb / 1024 : 0;
  } catch {
    return 0;
  }
}
