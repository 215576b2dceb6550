/**
 * What the input mutations share: the context they see, their shape, and small helpers. The
 * catalogues are invalidating-mutations.ts (the model refuses the request for certain) and
 * noise-mutations.ts (strange, not necessarily invalid).
 */
import type { WireProtocol } from '../operations.js';
import type { Prng } from '../prng.js';
import { asText, type Slot } from './slots.js';

/** What a mutation may look at besides the slot. */
export interface MutationContext {
  protocol: WireProtocol;
  /** The rest-json payload member (raw body), which no mutation touches. */
  payload?: string;
  /** Large values allowed (the big, on-demand run). */
  large: boolean;
}

/** One mutation of the catalogue. */
export interface ValueMutation {
  name: string;
  invalidating: boolean;
  applies(slot: Slot, ctx: MutationContext): boolean;
  apply(slot: Slot, rng: Prng, ctx: MutationContext): void;
}

/** Object.prototype's property names, the keys the fuzzer found reaching inherited functions. */
export const BUILTINS = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', 'toLocaleString'];

/** The numeric shape types. */
export const NUMERIC = new Set(['integer', 'long', 'float', 'double']);

/** Whether a slot travels in a typed body (JSON or CBOR, or query's text), not as a label, query value, header or raw payload. */
export const body = (slot: Slot, ctx: MutationContext): boolean => !asText(slot, ctx.protocol === 'query') && slot.member?.name !== ctx.payload;

/** `levels` nested arrays around a 0. */
export function deep(levels: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}
