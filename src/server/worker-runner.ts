/**
 * Runs the services' workers (kit/worker.ts). Per-node workers start with the server. A
 * once-per-cluster worker runs only while this node holds its lease in the shared store: the
 * runner tries to take or renew every such lease each third of the lease's lifetime, starts the
 * worker when it wins the lease and stops it when it loses it. A node that dies stops renewing,
 * so its leases expire and other nodes take the work over; a node that stops releases them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Worker } from '../kit/worker.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { LeaseStore } from '../store/lease-store.js';

export interface WorkerRunnerOptions {
  leases: LeaseStore;
  nodeId: string;
  clock: Clock;
  logger: Logger;
  /** How long a lease lasts unless renewed (default 15 s). */
  leaseTtlMs: number;
  registry?: Registry;
}

interface Held {
  worker: Worker;
  running: boolean;
  /** A start or stop under way, so the next round does not start it twice. */
  changing?: Promise<void>;
}

export class WorkerRunner {
  private readonly workers: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;
  private readonly rounds?: Counter;

  constructor(private readonly o: WorkerRunnerOptions) {
    if (o.registry) {
      const runner = this;
      this.rounds = new Counter({
        name: 'nimbus_worker_lease_rounds_total',
        help: 'Rounds in which this node tried to take or renew the leases of once-per-cluster workers',
        registers: [o.registry],
      });
      new Gauge({
        name: 'nimbus_worker_running',
        help: 'Background workers running on this node (1) or not (0): a once-per-cluster worker runs where its lease is held',
        labelNames: ['worker', 'runs'],
        registers: [o.registry],
        collect() {
          this.reset();
          for (const h of runner.workers) this.set({ worker: h.worker.name, runs: h.worker.runs }, h.running ? 1 : 0);
        },
      });
    }
  }

  /** Starts per-node workers now and competes for the leases of the others. */
  async start(workers: readonly Worker[]): Promise<void> {
    const names = new Set<string>();
    for (const worker of workers) {
      if (names.has(worker.name)) throw new Error(`two workers are named ${worker.name}`);
      names.add(worker.name);
      this.workers.push({ worker, running: false });
    }
    for (const held of this.workers) if (held.worker.runs === 'per-node') await this.startOne(held);
    await this.renewLeases();
    this.timer = setInterval(() => void this.renewLeases(), Math.max(10, Math.floor(this.o.leaseTtlMs / 3)));
    this.timer.unref();
  }

  /** Stops every worker (last started first) and releases this node's leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
    for (const held of [...this.workers].reverse()) {
      await held.changing;
      if (held.running) await this.stopOne(held);
      if (held.worker.runs === 'once-per-cluster') await this.o.leases.release(held.worker.name, this.o.nodeId).catch(() => {});
    }
  }

  /** Names of the workers running on this node now. */
  running(): string[] {
    return this.workers.filter((h) => h.running).map((h) => h.worker.name);
  }

  /** One round of taking or renewing leases (the timer runs it; tests call it). */
  renewLeases(): Promise<void> {
    this.round ??= this.renewAll().finally(() => (this.round = undefined));
    return this.round;
  }

  private async renewAll(): Promise<void> {
    this.rounds?.inc();
    for (const held of this.workers) {
      if (this.stopped || held.worker.runs !== 'once-per-cluster') continue;
      let holds: boolean;
      try {
        holds = await this.o.leases.acquire(held.worker.name, this.o.nodeId, this.o.clock.now(), this.o.leaseTtlMs);
      } catch (err) {
        // The store is unreachable: this node cannot know it still holds the lease, so it stops.
        this.o.logger.error('lease renewal failed', { worker: held.worker.name, error: String(err) });
        holds = false;
      }
      if (this.stopped) return;
      if (holds && !held.running) await this.startOne(held);
      else if (!holds && held.running) await this.stopOne(held);
    }
  }

  private async startOne(held: Held): Promise<void> {
    held.changing = (async () => {
      await held.worker.start();
      held.running = true;
      this.o.logger.debug('worker started', { worker: held.worker.name, node: this.o.nodeId });
    })();
    try {
      await held.changing;
    } catch (err) {
      this.o.logger.error('worker failed to start', { worker: held.worker.name, error: String(err) });
    } finally {
      held.changing = undefined;
    }
  }

  private async stopOne(held: Held): Promise<void> {
    held.changing = (async () => {
      held.running = false;
      await held.worker.stop();
      this.o.logger.debug('worker stopped', { worker: held.worker.name, node: this.o.nodeId });
    })();
    try {
      await held.changing;
    } catch (err) {
      this.o.logger.error('worker failed to stop', { worker: held.worker.name, error: String(err) });
    } finally {
      held.changing = undefined;
    }
  }
}
