/**
 * How much structure one request body may hold, checked on the bytes before they are decoded:
 * at most MAX_WIRE_VALUES values (JSON values, CBOR items, form pairs) and MAX_WIRE_DEPTH levels
 * of nesting. Decoded values cost far more than their bytes (a 15 MB JSON body of `{},` is five
 * million objects, 360 MB and two seconds of JSON.parse), and the body limit is 80 MB for Lambda's
 * zips, so the count, not the size, is what keeps one request's memory and time bounded. No model
 * Nimbus serves needs more: CloudWatch's largest input, 1,000 data of 150 values and counts each,
 * is 300,000 numbers. Each scan is linear and allocates nothing; strings are skipped with indexOf.
 */

/**
 * Largest body the awsJson, awsQuery and rpc-v2-cbor protocols read: the largest any such AWS
 * service takes (DynamoDB's 16 MB batches; Logs and CloudWatch take 1 MB). The edge's own limit is
 * 80 MB, for Lambda's zips over rest-json; a 80 MB JSON string would be three copies in memory.
 */
export const MAX_RPC_BODY_BYTES = 16 * 1024 * 1024;

/** Most values one request may hold. */
export const MAX_WIRE_VALUES = 500_000;
/** Deepest nesting one request may hold; the models nest a few levels. */
export const MAX_WIRE_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Why a JSON body holds too much, or undefined. Malformed JSON is left to JSON.parse. */
export function jsonExcess(body: Uint8Array): string | undefined {
  let values = 0;
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === QUOTE) {
      i = stringEnd(body, i);
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_WIRE_DEPTH) return `more than ${MAX_WIRE_DEPTH} levels of nesting`;
      if (++values > MAX_WIRE_VALUES) return `more than ${MAX_WIRE_VALUES} values`;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && ++values > MAX_WIRE_VALUES) {
      return `more than ${MAX_WIRE_VALUES} values`;
    }
  }
  return undefined;
}

/** The index of the quote closing the string opened at `open` (the end of the body if none). */
function stringEnd(body: Uint8Array, open: number): number {
  let at = open;
  for (;;) {
    const close = body.indexOf(QUOTE, at + 1);
    if (close < 0) return body.length;
    let slashes = 0;
    while (body[close - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return close;
    at = close;
  }
}

/** Why a form body holds too many pairs, or undefined. */
export function formExcess(body: Uint8Array): string | undefined {
  let pairs = 1;
  for (let at = body.indexOf(0x26); at >= 0; at = body.indexOf(0x26, at + 1)) {
    if (++pairs > MAX_WIRE_VALUES) return `more than ${MAX_WIRE_VALUES} parameters`;
  }
  return undefined;
}

/**
 * Why a CBOR body holds too much, or undefined. Walks the item heads only (RFC 8949 §3): every
 * head is a value, arrays and maps open a level that closes once their items are read. Malformed
 * input is left to the decoder; the walk stops at the end of the body whatever the heads claim.
 */
export function cborExcess(body: Uint8Array): string | undefined {
  const open: number[] = []; // items still expected at each open level; -1: indefinite length
  let values = 0;
  let i = 0;
  while (i < body.length) {
    const head = body[i++]!;
    const major = head >> 5;
    const info = head & 0x1f;
    if (head === 0xff) {
      // A break closes an indefinite-length level, which completes one item of its parent.
      if (open.pop() === undefined) return undefined;
      completeItem(open);
      continue;
    }
    if (++values > MAX_WIRE_VALUES) return `more than ${MAX_WIRE_VALUES} values`;
    const width = info < 24 ? 0 : info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    let argument = info < 24 ? info : 0;
    for (let k = 0; k < width && i + k < body.length; k++) argument = argument * 256 + body[i + k]!;
    i += width;
    const indefinite = info === 31;
    if (major === 2 || major === 3) {
      if (indefinite) open.push(-1);
      else i += argument;
    } else if (major === 4 || major === 5) {
      const items = indefinite ? -1 : major === 5 ? argument * 2 : argument;
      if (items !== 0) {
        open.push(items);
        if (open.length > MAX_WIRE_DEPTH) return `more than ${MAX_WIRE_DEPTH} levels of nesting`;
        continue;
      }
    } else if (major === 6) {
      continue; // a tag's content is the next item, in the same slot
    }
    completeItem(open);
  }
  return undefined;
}

/** One item of the innermost level is done: count it, and close the definite levels it completes. */
function completeItem(open: number[]): void {
  while (open.length > 0) {
    const left = open[open.length - 1]!;
    if (left < 0) return;
    if (left > 1) {
      open[open.length - 1] = left - 1;
      return;
    }
    open.pop();
  }
}
