/** A Launcher whose processes are puppets: the test writes their output and decides when they exit. */
import { PassThrough } from 'node:stream';
import type { HostInterpreters } from '../../../src/runtimes/catalogue.js';
import { hostView, type EnvironmentMounts, type EnvironmentView } from '../../../src/sandbox/environment-view.js';
import type { LaunchedProcess, Launcher, LaunchSpec, ProcessExit } from '../../../src/sandbox/launcher.js';

export class FakeProcess implements LaunchedProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly exited: Promise<ProcessExit>;
  readonly signals: string[] = [];
  hasExited = false;
  private resolveExit!: (e: ProcessExit) => void;

  constructor(
    readonly spec: LaunchSpec,
    readonly pid: number,
    private readonly peakMb = 42,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** The address the environment gave this runtime. */
  get runtimeApi(): string {
    return this.spec.env.AWS_LAMBDA_RUNTIME_API!;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.signals.push(signal);
    if (signal === 'SIGKILL') this.exit({ code: null, signal });
  }

  memoryPeakMb(): number {
    return this.peakMb;
  }

  /** Ends the process: closes its output, then reports the exit. */
  exit(exit: ProcessExit): void {
    if (this.hasExited) return;
    this.hasExited = true;
    this.stdout.end();
    this.stderr.end();
    this.resolveExit(exit);
  }
}

export class FakeLauncher implements Launcher {
  readonly launched: FakeProcess[] = [];
  private nextPid = 1000;
  private waiters: ((p: FakeProcess) => void)[] = [];
  /** Makes launch throw, as a launcher that cannot start anything would. */
  failWith: Error | undefined;
  /** Called with every process launched, synchronously. */
  onLaunch: ((p: FakeProcess) => void) | undefined;

  view(mounts: EnvironmentMounts, host: HostInterpreters, endpoint: string): EnvironmentView {
    return hostView(mounts, host, endpoint);
  }

  launch(spec: LaunchSpec): LaunchedProcess {
    if (this.failWith) throw this.failWith;
    const p = new FakeProcess(spec, this.nextPid++);
    this.launched.push(p);
    this.onLaunch?.(p);
    this.waiters.splice(0).forEach((w) => w(p));
    return p;
  }

  /** Resolves with the next process launched. */
  nextLaunch(): Promise<FakeProcess> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
