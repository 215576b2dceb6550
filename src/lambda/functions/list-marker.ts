/**
 * List markers (Marker / NextMarker) are opaque to callers; inside they carry the last key of
 * the previous page, so a page resumes after it even when items were added or removed between.
 */
import { LambdaErrors } from '../lambda-errors.js';

/** The marker that resumes after `key`. */
export function encodeMarker(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

/** The key a marker resumes after; InvalidParameterValueException for anything else. */
export function decodeMarker(marker: string): string {
  try {
    const after = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')).after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through
  }
  throw LambdaErrors.invalidParameter('Invalid Marker.');
}

/**
 * One page of `items` (sorted by `keyOf`) after the marker's key, with the NextMarker when more
 * remain; for lists the control plane already holds whole.
 */
export function pageAfter<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  marker: string | undefined,
  limit: number,
): { page: T[]; nextMarker?: string } {
  const after = marker === undefined ? undefined : decodeMarker(marker);
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, limit);
  return rest.length > limit ? { page, nextMarker: encodeMarker(keyOf(page[page.length - 1]!)) } : { page };
}
