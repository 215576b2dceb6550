/**
 * Store latency for `/metrics` (issue 6: platform health): every call into the store's
 * sub-stores is timed and observed in `nimbus_store_operation_seconds{operation}`, e.g.
 * `logs.put` or `asyncEvents.enqueue`. The wrapper is a proxy per sub-store, so no store
 * implementation knows it is measured; it costs a clock read and a histogram bucket per call.
 */
import { Histogram, type Registry } from 'prom-client';
import type { Store } from '../store/store.js';

type Observe = (operation: string, seconds: number) => void;

/** The sub-stores a Store has, by the name the operation label carries. */
const SUB_STORES = ['functions', 'logs', 'settings', 'metrics', 'asyncEvents', 'eventInvokeConfigs', 'provisionedConfigs', 'functionUrls', 'layers', 'alarms'] as const;

/** Registers the histogram and returns `store` with every sub-store call timed into it. */
export function measureStoreLatency<T extends Store>(store: T, registry: Registry): T {
  const histogram = new Histogram({
    name: 'nimbus_store_operation_seconds',
    help: 'Time the embedded store took per call, by sub-store and method.',
    labelNames: ['operation'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  return timedStore(store, (operation, seconds) => histogram.observe({ operation }, seconds));
}

/** `store` with each sub-store's methods timed; everything else (close, …) is the store's own. */
export function timedStore<T extends Store>(store: T, observe: Observe): T {
  const timed = Object.create(store) as T;
  for (const name of SUB_STORES) {
    const sub = store[name] as unknown as object | undefined;
    if (sub) Object.defineProperty(timed, name, { value: timedObject(sub, name, observe), enumerable: true });
  }
  return timed;
}

function timedObject<S extends object>(target: S, prefix: string, observe: Observe): S {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key, t) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      let wrapper = wrappers.get(key);
      if (!wrapper) {
        const operation = `${prefix}.${key}`;
        wrapper = (...args: unknown[]) => {
          const start = performance.now();
          const done = () => observe(operation, (performance.now() - start) / 1000);
          const result = (value as (...a: unknown[]) => unknown).apply(t, args);
          if (result instanceof Promise) return result.finally(done);
          done();
          return result;
        };
        wrappers.set(key, wrapper);
      }
      return wrapper;
    },
  });
}
