/**
 * BwrapLauncher: runs each environment in its own bubblewrap sandbox (`bwrap-args.ts` says what
 * it sees) inside its own cgroup (`cgroups/`), as its own unprivileged uid. The Runtime API
 * reaches it through a unix socket mounted into the sandbox and relayed to 127.0.0.1:9001 on
 * the sandbox's private loopback, so no environment can reach another's endpoint.
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { HostInterpreters } from '../../runtimes/catalogue.js';
import type { Cgroups } from '../cgroups/cgroups.js';
import type { EnvironmentMounts, EnvironmentView } from '../environment-view.js';
import type { LaunchedProcess, LaunchSpec, Launcher, StemCellCounts } from '../launcher.js';
import type { HostLayout } from './bwrap-args.js';
import type { DiskTmp } from './disk-tmp.js';
import { notStarted, startSandbox, type Egress, type SandboxHost } from './sandbox-process.js';
import { StemCells, type StemCellOptions } from './stem-cells.js';
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
  /** Internet egress for sandboxes (decision 10); absent: their own loopback only. */
  egress?: Egress;
  /** /tmp on disk (decision 11); absent: a tmpfs of EphemeralStorage MB. */
  diskTmp?: DiskTmp;
  /** Keep stem cells (decision 9): where their directories go, and the policy's tuning. */
  stemCells?: Omit<StemCellOptions, 'host' | 'api'>;
}

/** Host uids for environments: far above the ones a distribution hands out. */
const UID_BASE = 200_000;
const UID_COUNT = 50_000;

/** Starts each runtime in a bubblewrap sandbox with cgroup limits. */
export class BwrapLauncher implements Launcher {
  private readonly host: SandboxHost;
  private readonly cells: StemCells | undefined;

  constructor(private readonly o: BwrapLauncherOptions) {
    this.host = {
      bwrap: o.bwrap,
      layout: o.layout,
      cgroups: o.cgroups,
      ...(o.root ? { uids: new UidPool(UID_BASE, UID_COUNT) } : {}),
      ...(o.egress ? { egress: o.egress } : {}),
      ...(o.diskTmp ? { diskTmp: o.diskTmp } : {}),
    };
    this.cells = o.stemCells ? new StemCells({ ...o.stemCells, host: this.host, ...(o.api ? { api: o.api } : {}) }) : undefined;
  }

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
    const cell = this.cells?.take(spec);
    if (cell) return cell;
    const api = this.o.api?.();
    return startSandbox(
      this.host,
      {
        mounts: spec.mounts,
        endpoint: spec.endpoint,
        ...(api ? { api } : {}),
        tmpMb: spec.limits.tmpMb,
        argv: spec.argv,
        env: spec.env,
        cwd: spec.cwd,
      },
      spec.limits,
    ).process;
  }

  async close(): Promise<void> {
    await this.cells?.close();
  }

  stemCells(): StemCellCounts | undefined {
    return this.cells?.counts();
  }
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
