/**
 * One fuzzed request, built from (seed, index) alone: an implemented operation of one of the
 * services, a protocol it is served in, a nearly valid input, zero to two noise mutations, and
 * (always, unless the operation only reads and the draw says not) one invalidating mutation of
 * the input or of the written request. A request with an invalidating mutation must get a 4xx and
 * change nothing; one without may succeed, and only read-only operations get those.
 */
import { BAD_LABEL_MARKER, WIRE_MUTATIONS } from './mutations/wire-mutations.js';
import { INVALIDATING } from './mutations/invalidating-mutations.js';
import type { MutationContext, ValueMutation } from './mutations/mutation.js';
import { NOISE } from './mutations/noise-mutations.js';
import type { FuzzOperation, WireProtocol } from './operations.js';
import { Prng } from './prng.js';
import { slotsOf, setSlot, type Slot } from './mutations/slots.js';
import { generate } from './values.js';
import { encode, type WireRequest } from './wire/wire.js';

/** A built request and what was done to it. */
export interface FuzzCase {
  index: number;
  op: FuzzOperation;
  protocol: WireProtocol;
  request: WireRequest;
  /** True when it carries an invalidating mutation: it must be refused. */
  invalid: boolean;
  mutations: string[];
}

/** Values past the wire's limit of 500,000 (wire-limits.ts). */
const TOO_MANY = 500_001;

/** Builds request `index` of the run `seed` over `operations` (implemented ones, grouped by service). */
export function buildCase(seed: number, index: number, operations: FuzzOperation[][], large: boolean): FuzzCase {
  const rng = Prng.forRequest(seed, index);
  const op = rng.pick(rng.pick(operations));
  const protocol = rng.pick(op.service.protocols);
  const holder: Record<string, unknown> = { root: op.input ? generate(op.input, rng) : {} };
  const ctx: MutationContext = { protocol, payload: op.input?.payload, large };
  const mutations: string[] = [];
  /** The input's slots; the whole input too for noise (a key added at the top), never for an invalidating change. */
  const slots = (withTop = false) => {
    if (!op.input) return [];
    const top: Slot[] = withTop ? [{ container: holder, key: 'root', shape: op.input, required: false, path: '' }] : [];
    return [...top, ...slotsOf(op.input, holder.root as Record<string, unknown>)];
  };
  const mutate = (catalogue: ValueMutation[]): boolean => {
    const choices = slots(catalogue === NOISE).flatMap((slot) => catalogue.filter((m) => m.applies(slot, ctx)).map((m) => ({ m, slot })));
    if (choices.length === 0) return false;
    const { m, slot } = rng.pick(choices);
    m.apply(slot, rng, ctx);
    mutations.push(`${m.name}@${slot.path || '(input)'}`);
    return true;
  };

  for (let n = rng.int(0, 2); n > 0; n--) mutate(NOISE);
  const invalid = !(op.readOnly && rng.chance(0.35));
  let wire = false;
  if (invalid) {
    const draw = rng.next();
    if (draw < (large ? 0.04 : 0.01) && parsesBodyOf(op, protocol)) {
      (holder.root as Record<string, unknown>).fuzzMany = new Array(TOO_MANY).fill(0);
      mutations.push('too-many-values');
    } else if (draw < 0.7 && mutate(INVALIDATING)) {
      // done
    } else {
      wire = true;
      const labels = protocol === 'rest-json' ? slots().filter((s) => s.location === 'uri') : [];
      if (labels.length > 0 && rng.chance(0.25)) setSlot(rng.pick(labels), BAD_LABEL_MARKER);
    }
  }
  const request = encode(protocol, op, holder.root as Record<string, unknown>);
  if (wire) {
    const applicable = WIRE_MUTATIONS.filter((m) => m.applies(request));
    const m = applicable.find((x) => x.name === 'bad-label') ?? rng.pick(applicable);
    m.apply(request, rng);
    mutations.push(m.name);
  }
  return { index, op, protocol, request, invalid, mutations };
}

/** Whether members added at the top of the input reach a parsed body. */
function parsesBodyOf(op: FuzzOperation, protocol: WireProtocol): boolean {
  if (protocol !== 'rest-json') return protocol !== 'query';
  return op.input !== undefined && op.input.payload === undefined && Object.values(op.input.members).some((m) => m.location === undefined);
}
