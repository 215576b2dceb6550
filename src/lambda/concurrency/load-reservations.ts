/** Restores reserved concurrency from the store into the limiter at start-up. */
import type { FunctionStore } from '../../store/store.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';

export async function loadReservations(functions: FunctionStore, limiter: ConcurrencyLimiter): Promise<void> {
  let after: string | undefined;
  for (;;) {
    const page = await functions.listLatest(after, 500);
    for (const f of page) if (f.reservedConcurrency !== undefined) limiter.restore(f.name, f.reservedConcurrency);
    if (page.length < 500) return;
    after = page[page.length - 1]!.name;
  }
}
