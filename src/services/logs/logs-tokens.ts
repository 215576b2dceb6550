/**
 * CloudWatch Logs' paging tokens as Nimbus writes them, and their checks: a token is opaque to
 * callers, so anything we did not issue (a negative offset, a fraction, a name where an id
 * belongs) is "The specified nextToken is invalid." before it reaches the store.
 */
import { LogsErrors } from './logs-errors.js';

const invalidToken = () => LogsErrors.invalidParameter('The specified nextToken is invalid.');

/** A nextToken carrying one value (a group name, a stream offset, an event id). */
export function encodeToken(value: string | number): string {
  return Buffer.from(JSON.stringify({ v: value })).toString('base64url');
}

function decode(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))?.v;
  } catch {
    return undefined;
  }
}

/** DescribeLogGroups: the last group name of the previous page. */
export function groupAfter(token: string): string {
  const v = decode(token);
  if (typeof v !== 'string') throw invalidToken();
  return v;
}

/** DescribeLogStreams' offset, and FilterLogEvents' last event id: a whole number from 0. */
export function countAfter(token: string): number {
  const v = decode(token);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalidToken();
  return v;
}

/** GetLogEvents' tokens: `f/<id>` forward, `b/<id>` backward, the id padded to 56 digits. */
export const eventToken = (direction: 'f' | 'b', id: number): string => `${direction}/${String(id).padStart(56, '0')}`;

/** The direction and event id of a GetLogEvents token. */
export function readEventToken(token: string): { direction: 'f' | 'b'; id: number } {
  const m = /^([fb])\/(\d{1,56})$/.exec(token);
  const id = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(id)) throw invalidToken();
  return { direction: m[1] as 'f' | 'b', id };
}
