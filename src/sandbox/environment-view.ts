/**
 * What an environment's processes see. The launcher decides it (a sandbox shows the code at
 * /var/task, the plain launcher the host paths), and the environment builds the runtime's argv
 * and variables from it, so nothing above the launcher hard-codes where things are.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentView, HostInterpreters } from '../runtimes/catalogue.js';

/** Host directories an environment is built from: what a sandbox mounts. */
export interface EnvironmentMounts {
  /** The function's extracted code (Lambda's /var/task). */
  codeDir: string;
  /** Extracted layers, in order (Lambda's /opt). */
  layerDirs: string[];
  /** Nimbus's own runtime clients (`runtimes/` of the build; Lambda's /var/runtime). */
  runtimeDir: string;
}

/** What a runtime's processes see: defined beside the runtimes, which build their argv from it. */
export type { EnvironmentView };

/** The view of an unsandboxed process: host paths, and the endpoint's own address. */
export function hostView(mounts: EnvironmentMounts, host: HostInterpreters, endpointAddress: string): EnvironmentView {
  return {
    taskRoot: mounts.codeDir,
    layerRoots: mounts.layerDirs,
    runtimeDir: mounts.runtimeDir,
    host,
    runtimeApi: endpointAddress,
  };
}

/**
 * Whether a regular file is at `path` as `view` shows it, asked of the host directory behind it
 * (the task root is the code directory, each layer root its layer directory); false for any
 * other path. What a runtime's `command` is given to choose its entry point.
 */
export function fileInView(view: EnvironmentView, mounts: EnvironmentMounts): (path: string) => boolean {
  const roots: Array<[string, string | undefined]> = [
    [view.taskRoot, mounts.codeDir],
    ...view.layerRoots.map((root, i): [string, string | undefined] => [root, mounts.layerDirs[i]]),
  ];
  return (path) => {
    for (const [root, hostDir] of roots) {
      if (hostDir === undefined || !(path === root || path.startsWith(`${root}/`))) continue;
      try {
        return statSync(join(hostDir, path.slice(root.length)), { throwIfNoEntry: false })?.isFile() === true;
      } catch {
        return false; // unreadable: as good as absent
      }
    }
    return false;
  };
}
