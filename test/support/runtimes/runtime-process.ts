/**
 * Starts a runtime client (our Node.js or Python bootstrap, or any other) as a child process with
 * a clean environment holding only the standard Lambda variables, the way an execution
 * environment starts it, and collects its stdout lines and exit status.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface RuntimeProcessOptions {
  /** argv: executable first. */
  command: string[];
  /** AWS_LAMBDA_RUNTIME_API. */
  api: string;
  /** LAMBDA_TASK_ROOT and the working directory. */
  taskRoot: string;
  handler: string;
  /** Extra or overriding variables. */
  env?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class RuntimeProcess {
  readonly stdoutLines: string[] = [];
  stderr = '';
  /** Resolves when the process has exited and its output has been read. */
  readonly exited: Promise<Exit>;
  /**
   * Rejects (with the exit status and stderr) when the process ends. Race it with what a test
   * waits for, so that a runtime that dies fails the test at once instead of at a timeout.
   */
  readonly died: Promise<never>;
  private partial = '';
  private lineWaiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];

  constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    this.died = this.exited.then((exit) => {
      throw new Error(`runtime exited (code ${exit.code}, signal ${exit.signal}); stderr:\n${this.stderr}`);
    });
    this.died.catch(() => {});
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Resolves with the first stdout line (already seen or still to come) matching `pattern`. */
  waitForLine(pattern: RegExp): Promise<string> {
    const seen = this.stdoutLines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.lineWaiters.push({ pattern, resolve }));
  }

  /** Stops the process if it is still running and waits for it. */
  async stop(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  private onStdout(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      this.stdoutLines.push(line);
      this.lineWaiters = this.lineWaiters.filter((w) => {
        if (!w.pattern.test(line)) return true;
        w.resolve(line);
        return false;
      });
    }
  }
}

/** The standard Lambda variables for a test function. */
export function lambdaEnv(options: RuntimeProcessOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_LAMBDA_RUNTIME_API: options.api,
    _HANDLER: options.handler,
    LAMBDA_TASK_ROOT: options.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: 'test-fn',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/test-fn',
    AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/01/[$LATEST]0123456789abcdef',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'token',
    ...options.env,
  };
}

export function startRuntime(options: RuntimeProcessOptions): RuntimeProcess {
  const [file, ...args] = options.command;
  const child = spawn(file!, args, { cwd: options.taskRoot, env: lambdaEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  return new RuntimeProcess(child);
}
