/**
 * Cgroups for execution environments: detects what the host offers once, at start-up, and
 * gives each environment its own cgroup (memory, pids, cpu), removed when it stops. The
 * choices are the pure functions of `cgroup-plan.ts`; this file only does the I/O.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { removeOrphans } from '../orphans.js';
import type { ResourceLimits } from '../resource-limits.js';
import {
  CONTROLLERS,
  describePlan,
  environmentDirs,
  limitWrites,
  oomFile,
  oomKills,
  parseCgroupMounts,
  peakFile,
  planCgroups,
  type CgroupPlan,
} from './cgroup-plan.js';

/** One environment's cgroup(s). */
export interface EnvironmentCgroup {
  /** `cgroup.procs` files a process writes its pid to, to join (one per hierarchy). */
  readonly procsFiles: string[];
  /** Peak memory in MB, 0 when the kernel does not keep it. */
  peakMb(): number;
  /** The kernel's OOM killer has killed a process of this environment. */
  oomKilled(): boolean;
  /**
   * Sets new limits while its processes run (a stem cell bound to a function, decision 9):
   * cgroup files take new values at any time. Throws when a required limit cannot be set.
   */
  setLimits(limits: ResourceLimits): void;
  /** Removes the cgroup once its processes are gone; never rejects. */
  remove(): Promise<void>;
}

/** How often, and how long apart, removal is retried while the last processes are reaped. */
const REMOVE_ATTEMPTS = 40;
const REMOVE_DELAY_MS = 25;

/** The host's cgroups, as far as this process may use them. */
export class Cgroups {
  private constructor(readonly plan: CgroupPlan) {}

  /** No cgroups: nothing is limited (a server that is not root cannot create them). */
  static none(): Cgroups {
    return new Cgroups({});
  }

  /** Detects the host's cgroups and prepares `nimbus/` under each usable hierarchy. */
  static detect(): Cgroups {
    let mountsText = '';
    try {
      mountsText = readFileSync('/proc/self/mounts', 'utf8');
    } catch {
      return new Cgroups({});
    }
    const mounts = parseCgroupMounts(mountsText);
    const v2Controllers = mounts.v2 ? readWords(`${mounts.v2}/cgroup.controllers`) : [];
    const wanted = planCgroups(mounts, v2Controllers);
    const plan: CgroupPlan = {};
    for (const c of CONTROLLERS) {
      const p = wanted[c];
      if (p && prepare(p.version, p.base, c)) plan[c] = p;
    }
    // Environment cgroups whose server was killed before it could remove them.
    for (const p of Object.values(plan)) removeOrphans(p.base, tryRmdir);
    return new Cgroups(plan);
  }

  /** What is enforced, per controller, for the start-up log. */
  describe(): Record<string, string> {
    return describePlan(this.plan);
  }

  /** True when at least the memory controller is usable. */
  get enforcesMemory(): boolean {
    return this.plan.memory !== undefined;
  }

  /** Creates and limits the cgroup of environment `id`; throws when a limit cannot be set. */
  create(id: string, limits: ResourceLimits): EnvironmentCgroup {
    const dirs = environmentDirs(this.plan, id);
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    const setLimits = (l: ResourceLimits) => {
      for (const w of limitWrites(this.plan, id, l)) {
        try {
          writeFileSync(w.path, w.value);
        } catch (err) {
          if (!w.optional) throw err;
        }
      }
    };
    try {
      setLimits(limits);
    } catch (err) {
      for (const dir of dirs) tryRmdir(dir);
      throw err;
    }
    const peak = peakFile(this.plan, id);
    const oom = oomFile(this.plan, id);
    return {
      procsFiles: dirs.map((d) => `${d}/cgroup.procs`),
      peakMb: () => (peak ? readNumber(peak) / (1024 * 1024) : 0),
      oomKilled: () => (oom ? oomKills(readText(oom)) > 0 : false),
      setLimits,
      remove: () => removeAll(dirs),
    };
  }
}

/** Makes `base` and, for v2, lets it hand `controller` down to environments. */
function prepare(version: 1 | 2, base: string, controller: string): boolean {
  try {
    mkdirSync(base, { recursive: true });
    if (version === 2) {
      const root = base.slice(0, base.lastIndexOf('/'));
      // v2 only offers a controller to a child that its parent enabled in subtree_control.
      writeFileSync(`${root}/cgroup.subtree_control`, `+${controller}`);
      writeFileSync(`${base}/cgroup.subtree_control`, `+${controller}`);
    }
    return true;
  } catch {
    return false;
  }
}


async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 1; attempt <= REMOVE_ATTEMPTS; attempt++) {
      try {
        await fs.rmdir(dir);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // EBUSY: the kernel is still reaping the environment's last processes.
        if (code !== 'EBUSY' || attempt === REMOVE_ATTEMPTS) break;
        await new Promise((ok) => setTimeout(ok, REMOVE_DELAY_MS));
      }
    }
  }
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // best effort: an empty cgroup left behind holds no resources
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function readNumber(path: string): number {
  const n = Number.parseInt(readText(path), 10);
  return Number.isFinite(n) ? n : 0;
}

function readWords(path: string): string[] {
  return readText(path).trim().split(/\s+/).filter(Boolean);
}
