/**
 * Stem cells (decision 9): sandboxes started before they are needed, each running a runtime's
 * shim that waits on stdin, and bound to one function's cold start. Binding a cell links the
 * function's code into the cell's empty /var/task, links the environment's Runtime API socket
 * into its /run/nimbus, sets the function's limits on its cgroup and writes the release message;
 * the shim then becomes the ordinary runtime. A cell serves one function, once: a bound cell is
 * the environment and dies with it; an unbound one never ran anything of a function.
 *
 * How many cells each family keeps follows recent cold starts (`pool/stem-cell-policy.ts`); cells
 * are started a moment after the cold start that asked for them, so they do not compete with it.
 */
import { chmodSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { LaunchedProcess, LaunchSpec, StemCellCounts } from '../launcher.js';
import { removeOrphans } from '../orphans.js';
import { MAX_PROCESSES, type ResourceLimits } from '../resource-limits.js';
import {
  DEFAULT_STEM_CELL_POLICY,
  pickStemCell,
  planStemCells,
  recordColdStart,
  stemCellTarget,
  type StemCellPolicyOptions,
} from '../pool/stem-cell-policy.js';
import { API_SOCKET_NAME, RUNTIME_API_SOCKET_NAME } from './sandbox-paths.js';
import { startSandbox, type SandboxHost, type SandboxProcess } from './sandbox-process.js';
import { stemCellFamilyOf, type StemCellFamily } from './stem-cell-family.js';
import { linkTree } from './task-links.js';

export interface StemCellOptions {
  host: SandboxHost;
  /** Where cells' task directories are made: on the code store's filesystem, so code is linked, not copied. */
  taskParent: string;
  /** Where cells' run directories are made: beside the Runtime API sockets, which are linked into them. */
  runParent: string;
  /** The server's API socket and port, for AWS_ENDPOINT_URL inside; read when a cell starts. */
  api?: () => { socket: string; port: number } | undefined;
  logger?: Logger;
  policy?: Partial<StemCellPolicyOptions>;
  /** Delay between a cold start and the cells it asks for (default 200 ms). */
  refillDelayMs?: number;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/** Until bound, a cell may use what any function could ask for: binding only ever lowers limits. */
const CELL_LIMITS: ResourceLimits = { memoryMb: 10_240, tmpMb: 512, pids: MAX_PROCESSES, vcpus: 1 };
/** Unbound cells that die on their own this many times in a row stop their family's refills for a window. */
const MAX_FAILURES = 3;

interface Cell {
  id: string;
  readyAt: number;
  family: FamilyState;
  sandbox: SandboxProcess;
  /** Holds the cell's `task` (its /var/task) and `opt` (its /opt); removed with the cell. */
  cellDir: string;
  taskDir: string;
  optDir: string;
  runDir: string;
  bound: boolean;
}

interface FamilyState {
  family: StemCellFamily;
  label: string;
  history: number[];
  unbound: Cell[];
  failures: number;
  pausedUntil: number;
}

/** The cells of one server, per family. */
export class StemCells {
  private readonly families = new Map<string, FamilyState>();
  private readonly policy: StemCellPolicyOptions;
  private readonly now: () => number;
  private readonly taskRoot: string;
  private readonly runRoot: string;
  private refillTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;
  private bound = 0;
  private missed = 0;

  constructor(private readonly o: StemCellOptions) {
    this.policy = { ...DEFAULT_STEM_CELL_POLICY, ...o.policy };
    this.now = o.now ?? (() => performance.now());
    // One directory per server; what a killed server left behind goes at the next start.
    removeOrphans(o.taskParent, (dir) => removeDirs(dir));
    const own = `${process.pid}-${randomHex(4)}`;
    this.taskRoot = join(o.taskParent, own);
    this.runRoot = join(o.runParent, 'cells');
    mkdirSync(this.taskRoot, { recursive: true, mode: 0o755 });
    mkdirSync(this.runRoot, { recursive: true, mode: 0o755 });
    // Demand fades: a family quiet for the policy's window gives its cells back.
    this.sweepTimer = setInterval(() => this.refill(), Math.max(1_000, this.policy.windowMs / 10)).unref();
  }

  /**
   * Records a cold start and, when a cell of its family is held, binds it and returns it as the
   * launched environment. Undefined: launch as usual.
   */
  take(spec: LaunchSpec): LaunchedProcess | undefined {
    if (this.closed || this.policy.maxPerFamily <= 0) return undefined;
    const family = stemCellFamilyOf(spec);
    if (!family) return undefined;
    const state = this.familyState(family);
    state.history = recordColdStart(state.history, this.now(), this.policy);
    this.scheduleRefill();
    const cell = pickStemCell(state.unbound);
    if (!cell) {
      this.missed++;
      return undefined;
    }
    state.unbound.splice(state.unbound.indexOf(cell), 1);
    cell.bound = true;
    try {
      linkTree(spec.mounts.codeDir, cell.taskDir);
      // Layers: the merged tree (one directory, layer-tree.ts) shows at /opt the same way.
      const layers = spec.mounts.layerDirs[0];
      if (layers !== undefined) linkTree(layers, cell.optDir);
      linkSync(spec.endpoint, join(cell.runDir, RUNTIME_API_SOCKET_NAME));
      cell.sandbox.cgroup.setLimits(spec.limits);
    } catch (err) {
      this.o.logger?.warn('could not bind a stem cell; cold-starting instead', { error: (err as Error).message });
      cell.sandbox.process.kill();
      this.missed++;
      return undefined;
    }
    // The function's variables travel over the pipe into the sandbox, never on a host-side command line.
    cell.sandbox.stdin?.end(JSON.stringify({ argv: spec.argv, env: spec.env, cwd: spec.cwd }));
    this.bound++;
    return cell.sandbox.process;
  }

  counts(): StemCellCounts {
    const unbound: Record<string, number> = {};
    for (const s of this.families.values()) unbound[s.label] = (unbound[s.label] ?? 0) + s.unbound.length;
    return { unbound, bound: this.bound, missed: this.missed };
  }

  /** Stops every unbound cell and removes the server's cell directories; bound cells go with their environments. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.refillTimer);
    const cells = [...this.families.values()].flatMap((s) => s.unbound.splice(0));
    for (const c of cells) c.sandbox.process.kill();
    await Promise.all(cells.map((c) => c.sandbox.process.exited));
  }

  private familyState(family: StemCellFamily): FamilyState {
    let state = this.families.get(family.key);
    if (!state) {
      // The shim's directory names the family: /var/runtime/nodejs/stem.mjs → nodejs.
      const label = basename(dirname(family.argv[family.argv.length - 1] ?? ''));
      state = { family, label, history: [], unbound: [], failures: 0, pausedUntil: 0 };
      this.families.set(family.key, state);
    }
    return state;
  }

  private scheduleRefill(): void {
    if (this.refillTimer !== undefined || this.closed) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.refill();
    }, this.o.refillDelayMs ?? 200).unref();
  }

  /** Brings every family to its target: starts the missing cells, stops the oldest above it. */
  private refill(): void {
    if (this.closed) return;
    const now = this.now();
    for (const [key, state] of this.families) {
      const target = now < state.pausedUntil ? 0 : stemCellTarget(state.history, now, this.policy);
      const plan = planStemCells(state.unbound, 0, target);
      for (const cell of plan.stop) {
        state.unbound.splice(state.unbound.indexOf(cell), 1);
        cell.sandbox.process.kill();
      }
      for (let i = 0; i < plan.start; i++) {
        const cell = this.start(state);
        if (!cell) break;
        state.unbound.push(cell);
      }
      if (target === 0 && state.unbound.length === 0 && state.history.length === 0) this.families.delete(key);
    }
  }

  private start(state: FamilyState): Cell | undefined {
    const id = randomHex(8);
    const cellDir = join(this.taskRoot, id);
    const taskDir = join(cellDir, 'task');
    const optDir = join(cellDir, 'opt');
    const runDir = join(this.runRoot, id);
    const { family } = state;
    try {
      mkdirSync(cellDir, { mode: 0o755 });
      mkdirSync(taskDir, { mode: 0o755 });
      mkdirSync(optDir, { mode: 0o755 });
      chmodSync(optDir, 0o755);
      mkdirSync(runDir, { mode: 0o755 });
      chmodSync(taskDir, 0o755);
      chmodSync(runDir, 0o755);
      const api = this.o.api?.();
      if (api) linkSync(api.socket, join(runDir, API_SOCKET_NAME));
      const sandbox = startSandbox(
        this.o.host,
        {
          // /opt is always there, empty for a function without layers, as on Lambda.
          mounts: { codeDir: taskDir, layerDirs: [optDir], runtimeDir: family.runtimeDir },
          runDir,
          ...(api ? { api } : {}),
          tmpMb: family.tmpMb,
          argv: family.argv,
          env: family.env,
          cwd: family.cwd,
        },
        { ...CELL_LIMITS, tmpMb: family.tmpMb },
        { stdin: true },
      );
      // Anything a cell prints before it is bound belongs to no function: drop it.
      sandbox.process.stdout.resume();
      sandbox.process.stderr.resume();
      const cell: Cell = { id, readyAt: this.now(), family: state, sandbox, cellDir, taskDir, optDir, runDir, bound: false };
      void sandbox.process.exited.then(() => this.onExit(cell));
      return cell;
    } catch (err) {
      this.o.logger?.warn('could not start a stem cell', { error: (err as Error).message });
      removeDirs(cellDir, runDir);
      return undefined;
    }
  }

  private onExit(cell: Cell): void {
    removeDirs(cell.cellDir, cell.runDir);
    const state = cell.family;
    if (cell.bound) {
      state.failures = 0;
      return;
    }
    const i = state.unbound.indexOf(cell);
    if (i < 0) return; // stopped on purpose
    state.unbound.splice(i, 1);
    // A cell that dies unbound is a broken start: retry a few times, then leave the family be.
    if (++state.failures >= MAX_FAILURES) {
      state.failures = 0;
      state.pausedUntil = this.now() + this.policy.windowMs;
      this.o.logger?.warn('stem cells keep dying before they are used; pausing them', { family: state.label });
    }
    this.scheduleRefill();
  }
}

function removeDirs(...dirs: string[]): void {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: a leftover holds links, not data; the next start removes it
    }
  }
}
