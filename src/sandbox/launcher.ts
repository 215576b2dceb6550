/**
 * Launcher: how an environment's runtime process is started. Kept narrow on purpose so that a
 * sandboxing launcher (bubblewrap + cgroups) can replace the plain one without the environment
 * noticing. Every implementation passes `launcher.case.ts`.
 */
import type { Readable } from 'node:stream';
import type { HostInterpreters } from '../runtimes/catalogue.js';
import type { EnvironmentMounts, EnvironmentView } from './environment-view.js';
import type { ResourceLimits } from './resource-limits.js';

/**
 * What to start. `argv`, `env` and `cwd` are as the process sees them (built from the
 * launcher's `view`); `env` is complete: nothing is inherited from the server.
 */
export interface LaunchSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Host directories to show the process (a sandbox mounts them, read-only). */
  mounts: EnvironmentMounts;
  /** What a sandbox enforces; the plain launcher ignores it. */
  limits: ResourceLimits;
  /** The Runtime API endpoint's host-side address (a unix socket path, for a sandbox). */
  endpoint: string;
  /**
   * The same runtime started as a stem cell (decision 9): `argv` with the runtime's shim in place
   * of its bootstrap. A launcher may start such cells ahead of demand and bind one; absent when
   * the runtime has none.
   */
  stemArgv?: string[];
}

/** How a launched process ended. `error` is set when it could not be started at all (errno code). */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** e.g. `ENOENT` or `EACCES` when the executable could not be started. */
  error?: string;
  /** The memory limit was hit and the kernel killed the environment's process. */
  outOfMemory?: boolean;
}

/** A started runtime process (or process tree). */
export interface LaunchedProcess {
  /** Process id of the leader; -1 when the process could not be started. */
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Signals the whole process tree (default SIGKILL); harmless after exit. */
  kill(signal?: NodeJS.Signals): void;
  /** Settles once the leader has exited; never rejects. */
  readonly exited: Promise<ProcessExit>;
  /** Peak resident memory in MB so far, 0 when unknown (Lambda's "Max Memory Used"). */
  memoryPeakMb?(): number;
}

/** Starts runtime processes. */
export interface Launcher {
  /** What a process will see of `mounts`, and where it finds the Runtime API at `endpoint`. */
  view(mounts: EnvironmentMounts, host: HostInterpreters, endpoint: string): EnvironmentView;
  launch(spec: LaunchSpec): LaunchedProcess;
  /** Stops what the launcher holds besides launched processes (stem cells); for drain. */
  close?(): Promise<void>;
  /** Stem cells held and bound so far, for /metrics; absent when the launcher keeps none. */
  stemCells?(): StemCellCounts | undefined;
}

/** What a launcher that keeps stem cells reports. */
export interface StemCellCounts {
  /** Started and not yet bound, per runtime family's command (e.g. `nodejs`). */
  unbound: Record<string, number>;
  /** Cold starts that bound a cell, since start. */
  bound: number;
  /** Cold starts that found no cell, since start. */
  missed: number;
}
