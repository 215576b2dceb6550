/**
 * Background work is a Worker: an object with start and stop, declared by the service it
 * belongs to and run by the platform (server/worker-runner.ts). A `per-node` worker runs on
 * every node (what it claims is leased item by item, like the async dispatcher's events); a
 * `once-per-cluster` worker runs on one node at a time, the one that holds its lease in the
 * shared store, so that many nodes sharing one database never run it twice.
 */

/** Where a worker runs. */
export type WorkerPlacement = 'per-node' | 'once-per-cluster';

export interface Worker {
  /** Unique across the server, `service.job` (e.g. `logs.retention`); a cluster lease carries it. */
  readonly name: string;
  readonly runs: WorkerPlacement;
  /** Begins the work; called once the server listens (or again after a lease is regained). */
  start(): void | Promise<void>;
  /** Ends it; resolves when nothing of it runs any more (a pass under way has finished). */
  stop(): Promise<void>;
}

/** What a periodic worker does each time its interval comes round. */
export interface PeriodicWork {
  name: string;
  runs: WorkerPlacement;
  intervalMs: number;
  /** Run a pass as soon as the worker starts, not only after the first interval. */
  passAtStart?: boolean;
  /**
   * One pass; a pass still running when the next is due is joined, never doubled. `stopping`
   * aborts when the worker stops: a long pass checks it between steps and ends early.
   */
  pass(stopping: AbortSignal): Promise<unknown>;
}

/** A worker that runs `work.pass` every `work.intervalMs` (its timer never keeps the process alive). */
export class PeriodicWorker implements Worker {
  readonly name: string;
  readonly runs: WorkerPlacement;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = new AbortController();

  constructor(private readonly work: PeriodicWork) {
    this.name = work.name;
    this.runs = work.runs;
  }

  start(): void {
    if (this.timer) return;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    if (this.work.passAtStart) void this.runPass();
    this.timer = setInterval(() => void this.runPass(), this.work.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs a pass now (joining one under way); for tests and for work that must not wait. */
  runPass(): Promise<unknown> {
    this.running ??= this.work.pass(this.stopping.signal).finally(() => (this.running = undefined));
    return this.running;
  }
}
