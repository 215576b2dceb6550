/**
 * Mutations that make a request strange but not necessarily invalid: keys named like
 * Object.prototype's properties, values outside an enum, huge and odd strings, nulls, unknown
 * members, extreme numbers and times.
 */
import { body, BUILTINS, deep, NUMERIC, type ValueMutation } from './mutation.js';
import { setSlot } from './slots.js';

const STRANGE = ['\u0000', '\u202e\u0041', '😀'.repeat(50), '\uFEFFx', 'ǅ', '%00', '../../etc/passwd', '${jndi:x}', '"}]'];

/** Mutations that make a request strange, not necessarily invalid. */
export const NOISE: ValueMutation[] = [
  {
    name: 'builtin-key',
    invalidating: false,
    applies: (s) => s.shape.type === 'structure' || s.shape.type === 'map',
    apply: (s, rng) => {
      const target = (s.container as Record<string, unknown>)[s.key as string];
      const object = target !== null && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
      Object.defineProperty(object, rng.pick(BUILTINS), { value: rng.pick(['x', 1, {}, [], null, true]), enumerable: true, writable: true, configurable: true });
      setSlot(s, object);
    },
  },
  {
    name: 'bad-enum',
    invalidating: false,
    applies: (s) => s.shape.enum !== undefined,
    apply: (s, rng) => setSlot(s, rng.pick(['Loud', 'Floppy', 'cobol', 'Random', '', 'constructor'])),
  },
  {
    name: 'builtin-value',
    invalidating: false,
    applies: (s, ctx) => s.shape.type === 'string' && body(s, ctx),
    apply: (s, rng) => setSlot(s, rng.pick(BUILTINS)),
  },
  {
    name: 'huge-string',
    invalidating: false,
    applies: (s, ctx) => s.shape.type === 'string' && body(s, ctx) && (s.shape.max === undefined || s.shape.max > 100_000),
    apply: (s, rng, ctx) => setSlot(s, 'x'.repeat(rng.int(10_000, ctx.large ? 8_000_000 : 1_000_000))),
  },
  {
    name: 'strange-string',
    invalidating: false,
    applies: (s, ctx) => s.shape.type === 'string' && body(s, ctx),
    apply: (s, rng, ctx) => setSlot(s, rng.pick(ctx.protocol === 'query' ? STRANGE : [...STRANGE, '\ud800x'])),
  },
  {
    name: 'null',
    invalidating: false,
    applies: (s, ctx) => s.path !== '' && body(s, ctx) && ctx.protocol !== 'query',
    apply: (s) => setSlot(s, null),
  },
  {
    name: 'unknown-member',
    invalidating: false,
    applies: (s, ctx) => s.shape.type === 'structure' && body(s, ctx),
    apply: (s, rng) => {
      const target = (s.container as Record<string, unknown>)[s.key as string];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>).fuzzUnknown = rng.pick([deep(40), { a: { b: [1, { c: 'd' }] } }, Array.from({ length: 1000 }, (_, i) => i)]);
    },
  },
  {
    name: 'extreme-time',
    invalidating: false,
    applies: (s) => s.shape.type === 'timestamp',
    apply: (s, rng) => setSlot(s, new Date(rng.pick([0, Date.UTC(2100, 0, 1), Date.UTC(9999, 11, 31), -8.64e15, Date.now() + 1]))),
  },
  {
    name: 'extreme-number',
    invalidating: false,
    applies: (s, ctx) => NUMERIC.has(s.shape.type) && body(s, ctx),
    apply: (s, rng, ctx) => setSlot(s, rng.pick(ctx.protocol === 'rpc-v2-cbor' ? [NaN, Infinity, -0, 2 ** 53 + 2, 1e308, 2n ** 63n] : [-0, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE])),
  },
];
