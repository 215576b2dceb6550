/**
 * Random ids for traces and spans, cut from a pool of random bytes refilled 4 KB at a time: one
 * system call per hundreds of ids instead of one per id (randomBytes), as randomUUID keeps its
 * own cache. The invoke path makes one or two ids per traced invocation.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}

const ZERO_SPAN_ID = '0000000000000000';

/** A span id: 16 hex digits, never all zeros (OpenTelemetry's invalid id). */
export function newSpanId(): string {
  let id = randomHex(8);
  while (id === ZERO_SPAN_ID) id = randomHex(8);
  return id;
}

/** The 24 random hex digits of a new X-Ray trace id. */
export function newTraceRandom(): string {
  return randomHex(12);
}
