/**
 * The error payloads Lambda returns when the platform, not the handler, ends an invocation.
 * Types and messages are AWS's verbatim (`Sandbox.Timedout`, `Runtime.ExitError`, ...), since
 * callers match on them.
 */
import type { ProcessExit } from '../launcher.js';
import { MAX_RESPONSE_BYTES } from '../limits.js';

/** An error payload with its type, for the logs. */
export interface PlatformError {
  errorType: string;
  errorMessage: string;
  payload: Buffer;
}

/** Builds the payload; key order follows what AWS's own JSON shows for each fault. */
function fault(errorType: string, errorMessage: string, typeFirst = false): PlatformError {
  const body = typeFirst ? { errorType, errorMessage } : { errorMessage, errorType };
  return { errorType, errorMessage, payload: Buffer.from(JSON.stringify(body)) };
}

/** The function ran past its timeout and was stopped. */
export function timedOut(requestId: string, timeoutSeconds: number): PlatformError {
  return fault(
    'Sandbox.Timedout',
    `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
    true,
  );
}

/**
 * The init phase ran past its limit. Lambda retries such an init inside the invoke phase and
 * reports a `Sandbox.Timedout`; we do not retry, so we report the same type with a message that
 * says which phase timed out.
 */
export function initTimedOut(requestId: string, initTimeoutMs: number): PlatformError {
  return fault(
    'Sandbox.Timedout',
    `RequestId: ${requestId} Error: Init phase timed out after ${(initTimeoutMs / 1000).toFixed(2)} seconds`,
    true,
  );
}

/** The runtime process ended while it owed an answer (or could not be started at all). */
export function exited(requestId: string, exit: ProcessExit, executable: string, bootstrapSearch?: string): PlatformError {
  if (exit.error) {
    // What Lambda says when the entrypoint cannot be executed.
    const reason =
      exit.error === 'ENOENT' && bootstrapSearch
        ? `Couldn't find valid bootstrap(s): [${bootstrapSearch}]`
        : `fork/exec ${executable}: ${ERRNO_TEXT[exit.error] ?? exit.error}`;
    return fault('Runtime.InvalidEntrypoint', `RequestId: ${requestId} Error: ${reason}`);
  }
  if (exit.outOfMemory) {
    // The kernel's OOM killer ended the runtime at the memory limit: Lambda reports the kill
    // with its own type, so callers can tell it from a crash.
    return fault('Runtime.OutOfMemory', `RequestId: ${requestId} Error: Runtime exited with error: ${describeExit(exit)}`);
  }
  const reason =
    exit.code === 0 && !exit.signal
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: ${describeExit(exit)}`;
  return fault('Runtime.ExitError', `RequestId: ${requestId} Error: ${reason}`);
}

/** The response (or error) the runtime posted is over 6 MB. */
export function responseTooLarge(): PlatformError {
  return fault(
    'Function.ResponseSizeTooLarge',
    `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  );
}

/** Go's wording for a process state (`exit status 1`, `signal: killed`), which Lambda prints. */
export function describeExit(exit: ProcessExit): string {
  if (exit.signal) return `signal: ${SIGNAL_TEXT[exit.signal] ?? exit.signal}`;
  return `exit status ${exit.code ?? 'unknown'}`;
}

const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGILL: 'illegal instruction',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGPIPE: 'broken pipe',
  SIGQUIT: 'quit',
  SIGTRAP: 'trace/breakpoint trap',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'file size limit exceeded',
};

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
};
