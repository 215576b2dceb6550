/**
 * Launcher: how an environment's runtime process is started. Kept narrow on purpose so that a
 * sandboxing launcher (bubblewrap + cgroups) can replace the plain one without the environment
 * noticing. Every implementation passes `launcher.case.ts`.
 */
import type { Readable } from 'node:stream';

/** What to start. `env` is the complete environment: nothing is inherited from the server. */
export interface LaunchSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/** How a launched process ended. `error` is set when it could not be started at all (errno code). */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** e.g. `ENOENT` or `EACCES` when the executable could not be started. */
  error?: string;
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
  launch(spec: LaunchSpec): LaunchedProcess;
}
