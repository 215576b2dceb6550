/**
 * The places of an input a mutation can change: every member of every structure in it (present
 * or not, so a bad value can be added), every list item and map value, with its shape and where
 * it travels (a rest-json label, query parameter or header travels as text).
 */
import type { Member, Shape } from '../../../src/kit/models/shapes.js';

/** One place in an input value. */
export interface Slot {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  shape: Shape;
  /** The structure member this slot is, when it is one. */
  member?: Member;
  /** Required by its structure. */
  required: boolean;
  /** Where a top-level member travels in rest-json; undefined: in the body. */
  location?: Member['location'];
  path: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);

/** Every slot of `value` (an input of shape `shape`), top-level members first. */
export function slotsOf(shape: Shape, value: Record<string, unknown>): Slot[] {
  const out: Slot[] = [];
  walk(shape, value, '', true, out);
  return out;
}

function walk(shape: Shape, value: unknown, path: string, top: boolean, out: Slot[]): void {
  if (shape.type === 'structure' && isObject(value)) {
    for (const member of Object.values(shape.members)) {
      if (member.shape.eventstream) continue;
      const at = path === '' ? member.name : `${path}.${member.name}`;
      out.push({ container: value, key: member.name, shape: member.shape, member, required: shape.required.includes(member.name), location: top ? member.location : undefined, path: at });
      if (Object.hasOwn(value, member.name)) walk(member.shape, value[member.name], at, false, out);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ container: value, key: i, shape: shape.member!.shape, required: false, path: `${path}[${i}]` });
      walk(shape.member!.shape, item, `${path}[${i}]`, false, out);
    });
  } else if (shape.type === 'map' && isObject(value)) {
    for (const key of Object.keys(value)) {
      out.push({ container: value, key, shape: shape.value!.shape, required: false, path: `${path}{${key}}` });
      walk(shape.value!.shape, value[key], `${path}{${key}}`, false, out);
    }
  }
}

/** Whether the slot's value travels as text (rest-json labels, query parameters, headers, or the whole query protocol). */
export const asText = (slot: Slot, queryProtocol: boolean): boolean => queryProtocol || (slot.location !== undefined && slot.location !== 'statusCode');

/** Sets a slot's value. */
export function setSlot(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.container)) slot.container[slot.key as number] = value;
  else Object.defineProperty(slot.container, slot.key as string, { value, enumerable: true, writable: true, configurable: true });
}

/** Removes a slot's value. */
export function deleteSlot(slot: Slot): void {
  if (!Array.isArray(slot.container)) delete slot.container[slot.key as string];
}
