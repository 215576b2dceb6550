/**
 * One execution environment: a runtime process, its own Runtime API endpoint and its log
 * stream, driven through the transition table of `environment-state.ts`. This class only
 * applies the table and carries out what each move means (deliver the event, arm or clear a
 * timer, kill the process); it never decides anything the table does not say.
 *
 * A function's failure (handler error, timeout, crash, init error) resolves `invoke` with a
 * result that has `functionError` set; only platform faults reject.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { join } from 'node:path';
import { RUNTIME_DIR, runtimeVersionOf, type HostInterpreters, type RuntimeDefinition } from '../../runtimes/catalogue.js';
import type { Clock } from '../../shared/clock.js';
import { randomHex } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { isGone, transition, type EnvironmentEvent, type EnvironmentState } from './environment-state.js';
import { fileInView, type EnvironmentView } from '../environment-view.js';
import { environmentVariables } from './environment-variables.js';
import { newInvocation, settle, type Invocation, type Outcome } from './invocation.js';
import type { LaunchedProcess, Launcher, ProcessExit } from '../launcher.js';
import { LogCapture } from '../logs/log-capture.js';
import { MAX_RESPONSE_BYTES, MAX_STREAMED_RESPONSE_BYTES } from '../limits.js';
import { logStreamName } from '../logs/log-stream-name.js';
import { exited, initTimedOut, responseTooLarge, timedOut, type PlatformError } from './platform-errors.js';
import { initReportLine, initStartLine, initStartRecord, startLine, startRecord, systemLogWanted, timeoutLine } from '../logs/platform-lines.js';
import { limitsOf } from '../resource-limits.js';
import { errorPayload, errorTypeOf } from '../runtime-api/error-body.js';
import { eventReply } from '../runtime-api/event-reply.js';
import { invalidStateTransition } from '../runtime-api/replies.js';
import type { Respond, RuntimeApiBackend, RuntimeApiEndpoint, RuntimeApiTransport } from '../runtime-api/types.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { FunctionSpec, InvokeRequest, InvokeResult, LogSink } from '../types.js';

/** What an environment needs from the outside, all injected. */
export interface EnvironmentOptions {
  launcher: Launcher;
  transport: RuntimeApiTransport;
  host: HostInterpreters;
  logSink: LogSink;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Limit of the init phase (Lambda: 10 s). */
  initTimeoutMs: number;
  /** Told of every state change, synchronously (the pool keeps its books with it). */
  onStateChange?: (env: Environment, from: EnvironmentState, to: EnvironmentState) => void;
}

/** How long to wait for a dead runtime's last output before closing its invocation anyway. */
const OUTPUT_GRACE_MS = 200;

const timeoutMsOf = (spec: FunctionSpec) => spec.timeout * 1000;

/** An execution environment for one FunctionSpec. */
/** How often Max Memory Used is read while invocations follow each other closely. */
const MEMORY_SAMPLE_MS = 100;

export class Environment {
  readonly id = randomHex(8);
  readonly logStreamName: string;
  /** Settles once the process is gone and the endpoint closed, whatever the reason. */
  readonly terminated: Promise<void>;

  private state_: EnvironmentState = 'Starting';
  /** What the runtime was started with; set at launch, since the launcher decides the paths. */
  private argv: string[] = [];
  private view: EnvironmentView | undefined;
  private readonly capture: LogCapture;
  private readonly backend: RuntimeApiBackend;
  private process: LaunchedProcess | undefined;
  private endpoint: RuntimeApiEndpoint | undefined;
  private opening: Promise<void> = Promise.resolve();
  private parked: Respond | undefined;
  /** The invocation that asked for this environment, until the runtime's first GET /next. */
  private pending: Invocation | undefined;
  /** The invocation assigned to the runtime (Reserved, Busy) until its result is out. */
  private current: Invocation | undefined;
  private lastRequestId: string | undefined;
  private launchedAt = 0;
  private peakMb = 0;
  private peakSampledAt: number | undefined;
  private initTimer: TimerHandle | undefined;
  private tearingDown = false;
  private resolveTerminated!: () => void;

  constructor(
    readonly spec: FunctionSpec,
    private readonly runtime: RuntimeDefinition,
    private readonly o: EnvironmentOptions,
  ) {
    this.logStreamName = logStreamName(o.clock.now(), spec.version, randomHex(16));
    this.capture = new LogCapture(o.logSink, { accountId: spec.accountId, region: spec.region }, spec.logGroupName, this.logStreamName, o.clock);
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
    this.backend = {
      stateName: () => this.state_,
      currentRequestId: () => this.lastRequestId,
      next: (respond) => this.onNext(respond),
      streamBegin: (contentType) => this.onStreamBegin(contentType),
      streamChunk: (chunk) => {
        const inv = this.current;
        if (this.state_ === 'Busy' && inv?.streamed && !inv.settled) inv.request.responseStream?.write(chunk);
      },
      response: (body) => this.onAnswer('response', () => ({ payload: body })),
      responseTooLarge: () =>
        this.onAnswer('response', () => ({ payload: responseTooLarge().payload, functionError: 'Unhandled' })),
      error: (errorType, body) =>
        this.onAnswer('error', () => ({ payload: errorPayload(errorType, body), functionError: 'Unhandled' })),
      initError: (errorType, body) => this.onInitError(errorType, body),
    };
  }

  /** Where the environment is in its lifecycle. */
  get state(): EnvironmentState {
    return this.state_;
  }

  /** The runtime's process id, once launched. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Opens the Runtime API endpoint and launches the runtime; the init phase starts. */
  start(): void {
    if (this.state_ !== 'Starting') return;
    this.opening = this.o.transport.open(this.backend).then(
      (endpoint) => {
        this.endpoint = endpoint;
        if (this.state_ === 'Starting') this.launch(endpoint.address);
      },
      (err: unknown) => this.launchFailed(err),
    );
  }

  /**
   * Runs one invocation. Resolves with the result, function failures included, or with
   * undefined when the event never reached the runtime (the environment died while the
   * invocation waited for it): the caller may run it elsewhere. Rejects on platform faults.
   */
  invoke(request: InvokeRequest): Promise<InvokeResult | undefined> {
    return new Promise((resolve, reject) => {
      const state = this.state_;
      const cold = state === 'Starting' || state === 'Initializing';
      if ((cold && this.pending) || this.current) {
        throw new Error(`environment ${this.id} already has an invocation`);
      }
      const inv = newInvocation(request, cold, resolve, reject);
      if (cold) {
        this.pending = inv;
        if (request.tail) this.capture.beginTail();
      } else if (state === 'Idle' || state === 'Finishing') {
        this.assign(inv);
      } else {
        resolve(undefined);
      }
    });
  }

  /**
   * Stops the environment. Not allowed while an invocation is owed an answer (Busy, Reserved):
   * the pool only stops environments it does not lease. Resolves when it is gone.
   */
  stop(): Promise<void> {
    if (this.apply('stop')) this.abandonPending();
    return this.terminated;
  }

  // --- lifecycle -------------------------------------------------------------------------

  /** LoggingConfig JSON: platform lines become platform.* records. */
  private get jsonLogs(): boolean {
    return this.spec.logFormat === 'JSON';
  }

  /** JSON format: platform.start and platform.report are INFO records, left out under SystemLogLevel WARN. */
  private get platformInfo(): boolean {
    return !this.jsonLogs || systemLogWanted('INFO', this.spec.systemLogLevel);
  }

  private startOf(requestId: string): string[] {
    if (!this.jsonLogs) return [startLine(requestId, this.spec.version)];
    return this.platformInfo ? [startRecord(this.o.clock.now(), requestId, this.spec.version)] : [];
  }

  /** INIT_START (or, in JSON, an INFO platform.initStart record) as the init phase begins. */
  private initStartOf(): string[] {
    const runtime = runtimeVersionOf(this.spec.region, this.spec.runtime);
    if (!this.jsonLogs) return [initStartLine(runtime)];
    const type = this.spec.initializationType ?? 'on-demand';
    return this.platformInfo ? [initStartRecord(this.o.clock.now(), type, runtime)] : [];
  }

  private launch(endpoint: string): void {
    let proc: LaunchedProcess;
    try {
      const mounts = { codeDir: this.spec.codeDir, layerDirs: this.spec.layerDirs, runtimeDir: RUNTIME_DIR };
      const view = this.o.launcher.view(mounts, this.o.host, endpoint);
      this.view = view;
      this.argv = this.runtime.command(view, fileInView(view, mounts));
      const env = environmentVariables({
        spec: this.spec,
        runtime: this.runtime,
        view,
        argv: this.argv,
        logStreamName: this.logStreamName,
      });
      const limits = limitsOf(this.spec);
      const stemArgv = this.runtime.stemCommand?.(view);
      proc = this.o.launcher.launch({ argv: this.argv, env, cwd: view.taskRoot, mounts, limits, endpoint, ...(stemArgv ? { stemArgv } : {}) });
    } catch (err) {
      return this.launchFailed(err);
    }
    this.process = proc;
    this.capture.attach(proc.stdout, proc.stderr);
    this.capture.platform(...this.initStartOf());
    this.launchedAt = this.o.clock.monotonic();
    this.apply('launched');
    this.initTimer = this.o.timers.setTimeout(() => this.onInitTimeout(), this.o.initTimeoutMs);
    void proc.exited.then((exit) => this.onExit(exit));
  }

  private launchFailed(err: unknown): void {
    this.o.logger.error('environment could not start', { environment: this.id, error: String(err) });
    if (!this.apply('launchFailed')) return;
    const inv = this.pending;
    this.pending = undefined;
    inv?.reject(err);
  }

  /** Applies an event from the table; false when the table forbids it. */
  private apply(event: EnvironmentEvent): boolean {
    const to = transition(this.state_, event);
    if (to === undefined) return false;
    const from = this.state_;
    this.state_ = to;
    if (isGone(to) && !this.tearingDown) this.teardown();
    if (from !== to) this.o.onStateChange?.(this, from, to);
    return true;
  }

  /** Kills the process tree, waits for it and its output, closes the endpoint. */
  private teardown(): void {
    this.tearingDown = true;
    this.clearInitTimer();
    this.parked = undefined;
    const run = async () => {
      await this.opening;
      const proc = this.process;
      if (proc) {
        proc.kill('SIGKILL');
        await proc.exited;
        await this.outputDone();
      }
      await this.endpoint?.close();
    };
    run()
      .catch((err: unknown) => {
        this.o.logger.warn('environment teardown failed', { environment: this.id, error: String(err) });
      })
      .finally(() => this.resolveTerminated());
  }

  // --- Runtime API -----------------------------------------------------------------------

  private onNext(respond: Respond): boolean {
    const from = this.state_;
    if (!this.apply('nextParked')) return false;
    const replaced = this.parked;
    this.parked = respond;
    if (from === 'Initializing') {
      this.clearInitTimer();
      const inv = this.pending;
      if (inv) {
        inv.initDurationMs = this.o.clock.monotonic() - this.launchedAt;
        this.assign(inv);
      }
    } else if (from === 'Reserved') {
      this.deliver(this.current!);
    } else if (from === 'Idle') {
      replaced?.(invalidStateTransition('Idle', 'Ready'));
    }
    return true;
  }

  private onAnswer(event: 'response' | 'error', outcomeOf: () => Omit<Outcome, 'maxMemoryUsedMb'>): boolean {
    if (!this.apply(event)) return false;
    const outcome: Outcome = { ...outcomeOf(), maxMemoryUsedMb: this.memoryMb() };
    const inv = this.current!;
    this.o.timers.clearTimeout(inv.timer);
    const durationMs = this.o.clock.monotonic() - inv.deliveredAt;
    // Output the runtime wrote before answering may still sit in its pipe, already readable:
    // setImmediate runs after this poll phase has read it, so it lands before END.
    setImmediate(() => this.finish(inv, outcome, durationMs));
    return true;
  }

  /** A streamed response begins: its chunks go to the request's sink until the answer ends it. */
  private onStreamBegin(contentType: string | undefined): number | false {
    const inv = this.current;
    if (this.state_ !== 'Busy' || !inv || inv.settled || inv.streamed) return false;
    inv.streamed = true;
    const sink = inv.request.responseStream;
    sink?.begin(contentType);
    return sink ? MAX_STREAMED_RESPONSE_BYTES : MAX_RESPONSE_BYTES;
  }

  private onInitError(errorType: string | undefined, body: Buffer): boolean {
    if (!this.apply('initError')) return false;
    const payload = errorPayload(errorType, body);
    const outcome: Outcome = { payload, functionError: 'Unhandled', maxMemoryUsedMb: this.memoryMb() };
    this.failInit('error', errorTypeOf(errorType, payload), outcome);
    return true;
  }

  // --- invocations -----------------------------------------------------------------------

  /** Takes the invocation: arms its timeout, delivers it now (Idle) or at the next GET /next. */
  private assign(inv: Invocation): void {
    this.pending = undefined;
    this.current = inv;
    const timeoutMs = timeoutMsOf(this.spec);
    inv.deadlineMs = this.o.clock.now() + timeoutMs;
    inv.timer = this.o.timers.setTimeout(() => this.onTimeout(inv), timeoutMs);
    const from = this.state_;
    this.apply('invoke');
    if (from === 'Idle') this.deliver(inv);
  }

  private deliver(inv: Invocation): void {
    const respond = this.parked!;
    this.parked = undefined;
    const r = inv.request;
    this.lastRequestId = r.requestId;
    if (r.tail && !inv.cold) this.capture.beginTail();
    this.capture.platform(...this.startOf(r.requestId));
    inv.deliveredAt = this.o.clock.monotonic();
    respond(
      eventReply({
        requestId: r.requestId,
        deadlineMs: inv.deadlineMs,
        invokedFunctionArn: r.invokedFunctionArn,
        traceId: r.traceId,
        clientContext: r.clientContext,
        cognitoIdentity: r.cognitoIdentity,
        payload: r.payload,
      }),
    );
  }

  private onTimeout(inv: Invocation): void {
    if (inv.settled || this.current !== inv) return;
    const maxMemoryUsedMb = this.memoryMb();
    if (!this.apply('timeout')) return;
    const id = inv.request.requestId;
    // The timer runs from assignment and timers may fire a hair early: a timed-out invocation
    // ran (and is billed) for its whole timeout, as on Lambda, even one that was never delivered.
    const elapsed = inv.deliveredAt === 0 ? 0 : this.o.clock.monotonic() - inv.deliveredAt;
    const durationMs = Math.max(elapsed, timeoutMsOf(this.spec));
    if (inv.deliveredAt === 0) this.startLate(inv);
    const fault = timedOut(id, this.spec.timeout);
    const lines = [timeoutLine(this.o.clock.now(), id, this.spec.timeout)];
    const outcome: Outcome = { payload: fault.payload, functionError: 'Unhandled', lines, maxMemoryUsedMb };
    setImmediate(() => this.finish(inv, outcome, durationMs));
  }

  private onInitTimeout(): void {
    this.initTimer = undefined;
    if (!this.apply('initTimeout')) return;
    const fault = initTimedOut(this.pending?.request.requestId ?? '', this.o.initTimeoutMs);
    const outcome: Outcome = { payload: fault.payload, functionError: 'Unhandled', maxMemoryUsedMb: this.memoryMb() };
    this.failInit('timeout', undefined, outcome);
  }

  private onExit(exit: ProcessExit): void {
    const from = this.state_;
    if (!this.apply('processExited') || from === 'Stopping') return;
    this.o.logger.debug('runtime exited', { environment: this.id, state: from, ...exit });
    // The process is gone: the launcher kept its final peak (an OOM kill's is the limit).
    const exitOutcome = (requestId: string): [string, Outcome] => {
      const fault = this.exitFault(requestId, exit);
      const lines = [fault.errorMessage, fault.errorType];
      return [fault.errorType, { payload: fault.payload, functionError: 'Unhandled', lines, maxMemoryUsedMb: this.memoryMb(true) }];
    };
    if (from === 'Initializing') {
      const [errorType, outcome] = exitOutcome(this.pending?.request.requestId ?? '');
      this.failInit('error', errorType, outcome);
    } else if (from === 'Busy') {
      const inv = this.current!;
      this.o.timers.clearTimeout(inv.timer);
      const durationMs = this.o.clock.monotonic() - inv.deliveredAt;
      const [, outcome] = exitOutcome(inv.request.requestId);
      void this.outputDone().then(() => this.finish(inv, outcome, durationMs));
    } else if (from === 'Reserved') {
      // The event never reached the runtime: give it back so it can run elsewhere.
      const inv = this.current!;
      this.o.timers.clearTimeout(inv.timer);
      this.current = undefined;
      inv.settled = true;
      inv.resolve(undefined);
    }
  }

  /** Ends the init phase in failure; the invocation waiting for it gets `outcome`. */
  private failInit(status: 'error' | 'timeout', errorType: string | undefined, outcome: Outcome): void {
    const initDurationMs = this.o.clock.monotonic() - this.launchedAt;
    const inv = this.pending;
    this.pending = undefined;
    const finishIt = () => {
      this.capture.platform(initReportLine(initDurationMs, status, errorType));
      if (!inv) return;
      inv.initDurationMs = initDurationMs;
      this.startLate(inv);
      this.finish(inv, outcome, 0);
    };
    // The runtime's own account of the failure (a stack trace) should come before ours.
    if (status === 'error') void this.outputDone().then(finishIt);
    else setImmediate(finishIt);
  }

  /** Prints START for an invocation that ends without having been delivered. */
  private startLate(inv: Invocation): void {
    this.capture.platform(...this.startOf(inv.request.requestId));
    inv.deliveredAt = this.o.clock.monotonic();
  }

  /** Ends the invocation with `outcome` and frees the environment's slot for the next one. */
  private finish(inv: Invocation, outcome: Outcome, durationMs: number): void {
    if (this.current === inv) this.current = undefined;
    const json = this.jsonLogs ? { now: this.o.clock.now(), report: this.platformInfo } : undefined;
    settle(inv, outcome, durationMs, this.capture, this.spec.memorySize, json);
  }

  // --- helpers ---------------------------------------------------------------------------

  private abandonPending(): void {
    const inv = this.pending;
    this.pending = undefined;
    if (inv && !inv.settled) {
      inv.settled = true;
      inv.resolve(undefined);
    }
  }

  private exitFault(requestId: string, exit: ProcessExit): PlatformError {
    // OS-only runtimes look for `bootstrap` in the code, then in the layers (/opt).
    const view = this.view;
    const search =
      this.runtime.family === 'provided' && view
        ? [view.taskRoot, ...view.layerRoots].map((d) => join(d, 'bootstrap')).join(' ')
        : undefined;
    return exited(requestId, exit, this.argv[0] ?? '', search);
  }

  /**
   * Peak memory in whole MB; remembered, since a dead process can no longer be asked. Reading it
   * is a file read (the cgroup's memory.peak, or /proc): at most once per MEMORY_SAMPLE_MS, so
   * an invocation that ran longer is always measured afresh, and back-to-back short ones share a
   * reading (which was 5% of the server's CPU at 3,000 invokes/s).
   */
  private memoryMb(fresh = false): number {
    const now = this.o.clock.monotonic();
    if (fresh || this.peakSampledAt === undefined || now - this.peakSampledAt >= MEMORY_SAMPLE_MS) {
      this.peakSampledAt = now;
      this.peakMb = Math.max(this.peakMb, Math.ceil(this.process?.memoryPeakMb?.() ?? 0));
    }
    return this.peakMb;
  }

  /** The process's output has been read to the end, or a short grace has passed. */
  private outputDone(): Promise<void> {
    if (!this.process) return Promise.resolve();
    // Orphans of the runtime may hold its pipes open; they are killed with the group, but do
    // not let a straggler hold the invocation's result.
    this.process.kill('SIGKILL');
    return new Promise((resolve) => {
      const timer = this.o.timers.setTimeout(resolve, OUTPUT_GRACE_MS);
      void this.capture.closed.then(() => {
        this.o.timers.clearTimeout(timer);
        resolve();
      });
    });
  }

  private clearInitTimer(): void {
    if (this.initTimer !== undefined) this.o.timers.clearTimeout(this.initTimer);
    this.initTimer = undefined;
  }
}
