/**
 * Reads log events for GetLogEvents and FilterLogEvents the way CloudWatch Logs bounds a
 * response: at most 10,000 events and 1 MB ("as many log events as can fit in a response size of
 * 1 MB, up to 10,000 log events"), counting each event as its UTF-8 message plus 26 bytes, as
 * PutLogEvents counts a batch. Rows come from the store in chunks of CHUNK, so that even events of
 * 1 MB each keep one call near 100 MB; a chunk is one store query, and awaits between chunks let
 * other requests run while a selective pattern scans a large group.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 */
import type { StoredLogEvent } from './store/log-store.js';

/** Most events one call returns (the model's `limit` maximum and CloudWatch's default). */
export const MAX_EVENTS = 10_000;
/** Most bytes of events one call returns. */
export const MAX_RESPONSE_BYTES = 1_048_576;
/** Per-event overhead, as PutLogEvents counts it. */
const EVENT_OVERHEAD = 26;
/** Rows read at a time. */
export const CHUNK = 100;

/** The next `limit` rows after `cursor` (an event id) in the reader's direction; all from the start without one. */
export type ChunkReader = (cursor: number | undefined, limit: number) => Promise<StoredLogEvent[]>;

/** What one call collected. */
export interface Collected {
  events: StoredLogEvent[];
  /** The id of the last row read and decided on (matched or not): where the next call resumes. */
  lastId?: number;
  /** True when the limit or the byte budget stopped the read: more events may follow. */
  stopped: boolean;
}

/**
 * Reads chunks until `limit` events matched, the byte budget is spent or the rows run out. An
 * event that would cross the budget is left for the next call, unless it is the first.
 */
export async function collectEvents(read: ChunkReader, o: { limit: number; cursor?: number; match?: (message: string) => boolean }): Promise<Collected> {
  const events: StoredLogEvent[] = [];
  let bytes = 0;
  let cursor = o.cursor;
  let lastId: number | undefined;
  for (;;) {
    const chunk = await read(cursor, CHUNK);
    for (const e of chunk) {
      if (o.match === undefined || o.match(e.message)) {
        const size = Buffer.byteLength(e.message) + EVENT_OVERHEAD;
        if (events.length > 0 && bytes + size > MAX_RESPONSE_BYTES) return { events, lastId, stopped: true };
        events.push(e);
        bytes += size;
      }
      lastId = e.id;
      if (events.length >= o.limit) return { events, lastId, stopped: true };
    }
    if (chunk.length < CHUNK) return { events, lastId, stopped: false };
    cursor = chunk[chunk.length - 1]!.id;
  }
}
