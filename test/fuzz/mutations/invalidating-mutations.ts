/**
 * Mutations after which the model refuses the request for certain (checked with the server's own
 * constraint rules where it matters), so a request carrying one must be answered 4xx and change
 * nothing: a required member removed, a value of the wrong type, a number out of range, a string,
 * list or map past its length, a string that breaks its pattern, an unreadable timestamp or blob,
 * nesting past the wire's limit.
 */
import { body, deep, NUMERIC, type ValueMutation } from './mutation.js';
import type { Prng } from '../prng.js';
import { asText, deleteSlot, setSlot, type Slot } from './slots.js';
import { generate, satisfies } from '../values.js';

/** Label members decide the route; removing or emptying one would address another operation. */
const notLabel = (slot: Slot) => slot.location !== 'uri';

/** A value of another JSON type than the shape's; typed protocols refuse each. */
function wrongType(slot: Slot, rng: Prng): unknown {
  switch (slot.shape.type) {
    case 'string':
      return rng.pick([123, true, {}, ['a']]);
    case 'integer':
    case 'long':
      return rng.pick(['12', true, {}, [1], 1.5]);
    case 'float':
    case 'double':
      return rng.pick(['1.5', false, {}, [1]]);
    case 'boolean':
      return rng.pick(['true', 1, {}, []]);
    case 'timestamp':
      return rng.pick([true, {}, [1]]);
    case 'blob':
      return rng.pick([5, true, {}, [1]]);
    case 'list':
      return rng.pick(['x', {}, 3]);
    default:
      return rng.pick(['x', [], 3]);
  }
}

/** Mutations after which the model refuses the request, for certain. */
export const INVALIDATING: ValueMutation[] = [
  {
    name: 'missing-required',
    invalidating: true,
    applies: (s, ctx) =>
      s.required &&
      notLabel(s) &&
      s.member?.name !== ctx.payload &&
      !Array.isArray(s.container) &&
      Object.hasOwn(s.container, s.key as string) &&
      // A query structure left empty is not written at all, so it would read as absent, not invalid.
      (ctx.protocol !== 'query' || Object.keys(s.container).filter((k) => s.container[k as never] != null).length > 1),
    apply: (s) => deleteSlot(s),
  },
  {
    name: 'wrong-type',
    invalidating: true,
    applies: (s, ctx) => (body(s, ctx) && ctx.protocol !== 'query') || (asText(s, ctx.protocol === 'query') && (NUMERIC.has(s.shape.type) || s.shape.type === 'boolean' || s.shape.type === 'timestamp')),
    apply: (s, rng, ctx) => setSlot(s, body(s, ctx) && ctx.protocol !== 'query' ? wrongType(s, rng) : rng.pick(['abc', 'not-a-value', '1.2.3'])),
  },
  {
    name: 'out-of-range',
    invalidating: true,
    applies: (s) => outOfRange(s).length > 0,
    apply: (s, rng) => setSlot(s, rng.pick(outOfRange(s))),
  },
  {
    name: 'too-long',
    invalidating: true,
    applies: (s, ctx) => s.shape.max !== undefined && s.shape.max < (ctx.large ? 1_000_000 : 100_000) && ['string', 'list', 'map', 'blob'].includes(s.shape.type) && (s.location !== 'header' || s.shape.max < 4000) && (s.location !== 'uri' || s.shape.max < 4000) && s.member?.name !== ctx.payload,
    apply: (s, rng) => {
      const n = s.shape.max! + 1;
      if (s.shape.type === 'string') setSlot(s, 'x'.repeat(n));
      else if (s.shape.type === 'blob') setSlot(s, Buffer.alloc(n, 1));
      else if (s.shape.type === 'list') setSlot(s, Array.from({ length: n }, () => generate(s.shape.member!.shape, rng, undefined, 5)));
      else setSlot(s, Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, generate(s.shape.value!.shape, rng, undefined, 5)])));
    },
  },
  {
    name: 'too-short',
    invalidating: true,
    applies: (s, ctx) => (s.shape.min ?? 0) >= 1 && notLabel(s) && s.member?.name !== ctx.payload && ['string', 'list', 'map', 'blob'].includes(s.shape.type) && !(ctx.protocol === 'query' && s.shape.type === 'map'),
    apply: (s) => setSlot(s, s.shape.type === 'string' ? '' : s.shape.type === 'list' ? [] : s.shape.type === 'blob' ? Buffer.alloc(0) : {}),
  },
  {
    name: 'pattern',
    invalidating: true,
    applies: (s) => patternBreakers(s).length > 0,
    apply: (s, rng) => setSlot(s, rng.pick(patternBreakers(s))),
  },
  {
    name: 'bad-timestamp',
    invalidating: true,
    applies: (s) => s.shape.type === 'timestamp',
    apply: (s, rng, ctx) => setSlot(s, rng.pick(body(s, ctx) && ctx.protocol !== 'query' ? ['not-a-date', '2026-13-45T99:00:00Z', 1e20] : ['not-a-date', '2026-13-45T99:00:00Z'])),
  },
  {
    name: 'bad-blob',
    invalidating: true,
    applies: (s, ctx) => s.shape.type === 'blob' && s.member?.name !== ctx.payload,
    apply: (s, rng, ctx) => setSlot(s, ctx.protocol === 'rpc-v2-cbor' && body(s, ctx) ? 'not bytes' : rng.pick(['!!!', 'QU JD', 'Q'])),
  },
  {
    name: 'too-deep',
    invalidating: true,
    applies: (s, ctx) => body(s, ctx) && (ctx.protocol === 'json' || ctx.protocol === 'rest-json' || ctx.protocol === 'rpc-v2-cbor'),
    apply: (s) => setSlot(s, deep(100)),
  },
];

/** Strings that break most patterns (each is used only where the shape's own rule refuses it). */
const PATTERN_BREAKERS = [' ', '!!!@@@', 'a b', '\u0007', '###', '-', ':', '*'];

/** The breakers this slot's rules refuse; headers carry printable ASCII only. */
function patternBreakers(s: Slot): string[] {
  if (s.shape.type !== 'string' || s.shape.pattern === undefined || s.shape.enum) return [];
  return PATTERN_BREAKERS.filter((c) => !satisfies(s.shape, c) && (s.location !== 'header' || /^[\x20-\x7e]+$/.test(c)));
}

/** Numbers the slot's rules refuse: past min or max, or a fraction for an integer. */
function outOfRange(s: Slot): number[] {
  if (!NUMERIC.has(s.shape.type)) return [];
  const { min, max } = s.shape;
  const integral = s.shape.type === 'integer' || s.shape.type === 'long';
  const past = [min !== undefined ? min - 1 : undefined, max !== undefined ? max + 1 : undefined].filter((v): v is number => v !== undefined && !satisfies(s.shape, v));
  // A fraction fails an integer's type, whatever its range.
  return integral ? [...past, 1.5] : past;
}

