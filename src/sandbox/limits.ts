/**
 * Lambda's fixed limits that the sandbox enforces, in one place.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */

/** Synchronous response payload limit; AWS prints this exact number in its error. */
export const MAX_RESPONSE_BYTES = 6_291_556;

/**
 * Streamed response limit (Runtime API streaming mode, to a caller that consumes the stream, e.g.
 * a RESPONSE_STREAM function URL): AWS's documented 20 MB soft limit, applied here as a hard cap.
 * A streamed response to a caller that buffers it keeps MAX_RESPONSE_BYTES.
 */
export const MAX_STREAMED_RESPONSE_BYTES = 20 * 1024 * 1024;

/** Init phase limit for on-demand environments. */
export const DEFAULT_INIT_TIMEOUT_MS = 10_000;

/** Idle environments are kept this long after their last invocation. */
export const DEFAULT_KEEP_ALIVE_MS = 10 * 60_000;

/** CloudWatch Logs' maximum event size; longer lines are split into several events. */
export const MAX_LOG_LINE_CHARS = 256 * 1024;

/**
 * Log output one invocation may write (counted in characters, from one END to the next, so the
 * init phase counts towards the first invocation). Past it, output is dropped and counted, and
 * one platform line before END says how much (`droppedLogsLine`). Lambda documents no such cap;
 * ours keeps a flood from growing the server's memory or the store.
 */
export const MAX_INVOCATION_LOG_CHARS = 5 * 1024 * 1024;

/** LogType=Tail returns the last 4 KB of the invocation's log. */
export const TAIL_BYTES = 4096;
