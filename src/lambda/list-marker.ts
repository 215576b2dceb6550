/**
 * List markers (Marker / NextMarker) are opaque to callers; inside they carry the last key of
 * the previous page, so a page resumes after it even when items were added or removed between.
 */
import { LambdaErrors } from '../shared/errors.js';

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
