/**
 * Store latency for `/metrics` (issue 6: platform health): every call into a store slice's
 * sub-stores is timed and observed in `nimbus_store_operation_seconds{operation}`, e.g.
 * `logs.append` or `asyncEvents.enqueue`. The wrapper is a proxy per sub-store, so no store
 * implementation knows it is measured; it costs a clock read and a histogram bucket per call.
 * A slice whose stores are per scope (`at(scope)`) has the stores it returns timed the same way.
 */
import { Histogram, type Registry } from 'prom-client';

type Observe = (operation: string, seconds: number) => void;

/** Registers the histogram; the function returned times a slice's calls into it. */
export function storeLatency(registry: Registry): <T extends object>(slice: T) => T {
  const histogram = new Histogram({
    name: 'nimbus_store_operation_seconds',
    help: 'Time the embedded store took per call, by sub-store and method.',
    labelNames: ['operation'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  return (slice) => timedSlice(slice, (operation, seconds) => histogram.observe({ operation }, seconds));
}

/** `slice` with each sub-store's methods timed (and the stores `at(scope)` returns); the rest is the slice's own. */
export function timedSlice<T extends object>(slice: T, observe: Observe): T {
  const timed = Object.create(slice) as T;
  for (const [name, value] of Object.entries(slice)) {
    if (value !== null && typeof value === 'object') Object.defineProperty(timed, name, { value: timedObject(value, name, observe), enumerable: true });
  }
  const at = (slice as { at?: unknown }).at;
  if (typeof at === 'function') {
    const scoped = new WeakMap<object, object>();
    Object.defineProperty(timed, 'at', {
      value: (...args: unknown[]) => {
        const stores = (at as (...a: unknown[]) => object).apply(slice, args);
        let t = scoped.get(stores);
        if (!t) scoped.set(stores, (t = timedSlice(stores, observe)));
        return t;
      },
    });
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
