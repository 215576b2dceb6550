/**
 * Values as AWS's (Java) services print them in validation messages: `[a, b]` for lists,
 * `{k=v}` for maps and structures, `java.nio.HeapByteBuffer[...]` for blobs. A request can hold a
 * value of many megabytes or thousands of levels: the text stops at MAX_RENDERED characters and
 * nesting at MAX_DEPTH, so a message stays small whatever was sent.
 */
import type { Shape } from '../models/shapes.js';

/** Longest rendered value; AWS's own examples are far shorter. */
export const MAX_RENDERED = 4096;
const MAX_DEPTH = 16;
const ELLIPSIS = '...';

/** `Value '<v>' at '<path>'`, or `Value at '<path>'` for sensitive shapes, as AWS writes it. */
export function describe(value: unknown, path: string, shape: Shape): string {
  return shape.sensitive ? `Value at '${path}'` : `Value '${render(value)}' at '${path}'`;
}

/** A value as AWS prints it, cut at MAX_RENDERED characters. */
export function render(value: unknown): string {
  const out = { text: '' };
  write(value, out, 0);
  return out.text.length > MAX_RENDERED ? out.text.slice(0, MAX_RENDERED) + ELLIPSIS : out.text;
}

function write(value: unknown, out: { text: string }, depth: number): void {
  if (out.text.length > MAX_RENDERED) return;
  if (value === null || value === undefined) {
    out.text += 'null';
  } else if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return void (out.text += ELLIPSIS);
    out.text += '[';
    for (let i = 0; i < value.length && out.text.length <= MAX_RENDERED; i++) {
      if (i > 0) out.text += ', ';
      write(value[i], out, depth + 1);
    }
    out.text += ']';
  } else if (value instanceof Date) {
    out.text += Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  } else if (value instanceof Uint8Array) {
    out.text += `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  } else if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) return void (out.text += ELLIPSIS);
    out.text += '{';
    let first = true;
    for (const key of Object.keys(value)) {
      if (out.text.length > MAX_RENDERED) break;
      out.text += `${first ? '' : ', '}${key}=`;
      first = false;
      write((value as Record<string, unknown>)[key], out, depth + 1);
    }
    out.text += '}';
  } else {
    const text = String(value);
    out.text += text.length > MAX_RENDERED ? text.slice(0, MAX_RENDERED + 1) : text;
  }
}
