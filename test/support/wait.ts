/** Bounded waits for tests: await something that will happen, fail fast if it does not. */

/** Resolves with `promise`, or rejects after `ms` naming what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Lets pending I/O callbacks and setImmediate callbacks run. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves once `condition()` holds, re-checking after each event-loop turn; bounded by `ms`.
 * Only for states no event announces (e.g. a grandchild process dying).
 */
export async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await turn();
  }
}

/**
 * Resolves with the first truthy value `probe()` gives, asking again every `intervalMs`; for
 * outcomes only visible through an API (an asynchronous invocation's logs). Bounded by `ms`.
 */
export async function poll<T>(probe: () => Promise<T | undefined | false>, ms: number, what: string, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
