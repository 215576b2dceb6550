/**
 * Where each environment's cgroup lives and what is written into it, as pure functions of the
 * host's cgroup mounts (cgroup v2, v1, or a hybrid of both) and the environment's limits.
 * `cgroups.ts` does the I/O. https://docs.kernel.org/admin-guide/cgroup-v2.html
 */
import type { ResourceLimits } from '../resource-limits.js';

/** The controllers an environment is limited by. */
export type Controller = 'memory' | 'pids' | 'cpu';
/** Every controller Nimbus uses, in the order they are reported. */
export const CONTROLLERS: readonly Controller[] = ['memory', 'pids', 'cpu'];

/** The cgroup filesystems of the host: v1 hierarchies by controller, and the v2 mount. */
export interface CgroupMounts {
  v1: Partial<Record<Controller, string>>;
  v2?: string;
}

/** Per controller, the hierarchy that enforces it and the directory all environments go under. */
export type CgroupPlan = Partial<Record<Controller, { version: 1 | 2; base: string }>>;

/** One file write that sets a limit. `optional` writes may fail (a file the kernel lacks). */
export interface CgroupWrite {
  path: string;
  value: string;
  optional?: boolean;
}

/** Reads cgroup mounts from /proc/self/mounts text. */
export function parseCgroupMounts(mounts: string): CgroupMounts {
  const found: CgroupMounts = { v1: {} };
  for (const line of mounts.split('\n')) {
    const [, dir, type, options] = line.split(' ');
    if (!dir || !options) continue;
    if (type === 'cgroup2') found.v2 ??= unescapeMount(dir);
    if (type !== 'cgroup') continue;
    for (const c of CONTROLLERS) if (options.split(',').includes(c)) found.v1[c] ??= unescapeMount(dir);
  }
  return found;
}

/**
 * Chooses a hierarchy per controller: a v1 hierarchy that has it, else the v2 one when its root
 * offers it (`v2Controllers`, from cgroup.controllers). Environments go under `<mount>/nimbus`.
 */
export function planCgroups(mounts: CgroupMounts, v2Controllers: readonly string[]): CgroupPlan {
  const plan: CgroupPlan = {};
  for (const c of CONTROLLERS) {
    const v1 = mounts.v1[c];
    if (v1) plan[c] = { version: 1, base: `${v1}/nimbus` };
    else if (mounts.v2 && v2Controllers.includes(c)) plan[c] = { version: 2, base: `${mounts.v2}/nimbus` };
  }
  return plan;
}

/** The distinct directories of environment `id` (one per v1 hierarchy; one for v2). */
export function environmentDirs(plan: CgroupPlan, id: string): string[] {
  const dirs = new Set<string>();
  for (const c of CONTROLLERS) {
    const p = plan[c];
    if (p) dirs.add(`${p.base}/${id}`);
  }
  return [...dirs];
}

/** The directory of `id` that holds `controller`'s files. */
export function controllerDir(plan: CgroupPlan, controller: Controller, id: string): string | undefined {
  const p = plan[controller];
  return p && `${p.base}/${id}`;
}

/**
 * The writes that limit environment `id`. Memory includes swap (a swapping function is slow,
 * not out of memory, on Lambda there is none). CPU is a proportional weight, not a quota:
 * a 128 MB function is not throttled to 7% of a core while the machine is idle, but yields
 * under contention in proportion to its memory, which is what Lambda's allocation means for
 * throughput. v1's cpu.shares default of 1024 and v2's cpu.weight default of 100 stand for
 * one vCPU.
 */
export function limitWrites(plan: CgroupPlan, id: string, limits: ResourceLimits): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  const bytes = String(limits.memoryMb * 1024 * 1024);
  const memory = controllerDir(plan, 'memory', id);
  if (memory && plan.memory?.version === 1) {
    writes.push({ path: `${memory}/memory.limit_in_bytes`, value: bytes });
    // Only present with swap accounting; must come after limit_in_bytes (it may not be lower).
    writes.push({ path: `${memory}/memory.memsw.limit_in_bytes`, value: bytes, optional: true });
  } else if (memory) {
    writes.push({ path: `${memory}/memory.max`, value: bytes });
    writes.push({ path: `${memory}/memory.swap.max`, value: '0', optional: true });
  }
  const pids = controllerDir(plan, 'pids', id);
  if (pids) writes.push({ path: `${pids}/pids.max`, value: String(limits.pids) });
  const cpu = controllerDir(plan, 'cpu', id);
  if (cpu && plan.cpu?.version === 1) {
    writes.push({ path: `${cpu}/cpu.shares`, value: String(clamp(Math.round(1024 * limits.vcpus), 2, 262_144)) });
  } else if (cpu) {
    writes.push({ path: `${cpu}/cpu.weight`, value: String(clamp(Math.round(100 * limits.vcpus), 1, 10_000)) });
  }
  return writes;
}

/** Where the kernel keeps the peak memory use of `id`'s cgroup. */
export function peakFile(plan: CgroupPlan, id: string): string | undefined {
  const dir = controllerDir(plan, 'memory', id);
  if (!dir) return undefined;
  return plan.memory?.version === 1 ? `${dir}/memory.max_usage_in_bytes` : `${dir}/memory.peak`;
}

/** Where the kernel counts OOM kills in `id`'s cgroup (`oom_kill N`). */
export function oomFile(plan: CgroupPlan, id: string): string | undefined {
  const dir = controllerDir(plan, 'memory', id);
  if (!dir) return undefined;
  return plan.memory?.version === 1 ? `${dir}/memory.oom_control` : `${dir}/memory.events`;
}

/** The `oom_kill` count of a memory.oom_control (v1) or memory.events (v2) text. */
export function oomKills(text: string): number {
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** What a plan enforces, for the start-up log: e.g. `{ memory: 'v1', pids: 'v1', cpu: 'v2' }`. */
export function describePlan(plan: CgroupPlan): Record<string, string> {
  return Object.fromEntries(CONTROLLERS.map((c) => [c, plan[c] ? `cgroup v${plan[c]!.version}` : 'not enforced']));
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

/** /proc/mounts escapes spaces and the like as octal (`\040`). */
function unescapeMount(dir: string): string {
  return dir.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}
