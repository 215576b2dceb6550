/**
 * Timers, injected like the Clock so that timeouts and keep-alive reclaim can be driven by a
 * test without real time passing.
 */

/** An opaque handle returned by `setTimeout`. */
export type TimerHandle = unknown;

/** Schedules callbacks after a delay in milliseconds. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real timers. Unref'd: a pending invocation timeout or reclaim must not keep the server alive. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const t = setTimeout(callback, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
