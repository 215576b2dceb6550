/**
 * Which part of a GetMetricData request's time range one call computes, decided before anything
 * is read. The range is cut into slots of the request's shortest period; a page is the run of
 * slots whose data points fit MaxDatapoints (default and most: 100,800, as CloudWatch) and whose
 * metric math fits MATH_WORK. Pages go newest first (oldest first for TimestampAscending); a
 * request of MetricStat queries only continues with NextToken, and one with expressions returns
 * its first page as PartialData without one, as CloudWatch documents ("NextToken is not returned
 * if you are performing a math expression"). So no call computes a period per slot of 1970–2100,
 * whatever it asks. Pure.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
import { createHash } from 'node:crypto';
import { invalidNextToken } from '../cloudwatch-errors.js';

/** The most data points one GetMetricData call returns (the API reference's default, and total). */
export const MAX_DATAPOINTS = 100_800;
/** Values metric math may compute in one call (expression nodes × points each): tens of ms. */
export const MATH_WORK = 1_000_000;

/** A query as the planner sees it. */
export interface PageQuery {
  /** Seconds: the MetricStat's Period, or the expression's. */
  period: number;
  /** Nodes of the expression's tree; 0 for a MetricStat. */
  nodes: number;
}

/** The request as the planner sees it; times in ms, `start` already aligned. */
export interface PageRequest {
  start: number;
  end: number;
  queries: PageQuery[];
  maxDatapoints: number;
  ascending: boolean;
  /** The NextToken of the previous page, if any. */
  token?: string;
  /** Whatever else must match between pages (query ids, stats, expressions), as text. */
  identity: string;
}

/** One page: the window [from, to) whose periods (by their start) this call computes. */
export interface Page {
  from: number;
  to: number;
  /** True when this page is the rest of the range. */
  complete: boolean;
  /** The token for the next page, when more remains. */
  nextToken?: string;
}

/** The page a call computes. Throws InvalidNextToken for a token of another request. */
export function planPage(r: PageRequest): Page {
  const slotMs = Math.min(...r.queries.map((q) => q.period)) * 1000;
  const slots = Math.ceil((r.end - r.start) / slotMs);
  // Per slot: data points of every query, and math values of every expression node (an array
  // node may hold one series per MetricStat query).
  const metricsPerSlot = r.queries.reduce((n, q) => n + (q.nodes === 0 ? (slotMs / 1000) / q.period : 0), 0);
  const pointsPerSlot = r.queries.reduce((n, q) => n + (slotMs / 1000) / q.period, 0);
  const workPerSlot = r.queries.reduce((n, q) => n + q.nodes * Math.max(1, metricsPerSlot), 0);
  const bySize = Math.floor(r.maxDatapoints / pointsPerSlot);
  const byWork = workPerSlot > 0 ? Math.floor(MATH_WORK / workPerSlot) : Infinity;
  const perPage = Math.max(1, Math.min(bySize, byWork));

  const fingerprint = createHash('sha256').update(`${r.start}|${r.end}|${r.ascending}|${perPage}|${r.identity}`).digest('base64url').slice(0, 16);
  let lo = 0;
  let hi = slots;
  if (r.token !== undefined) {
    const resume = readToken(r.token, fingerprint);
    if (resume <= 0 || resume >= slots) throw invalidNextToken();
    if (r.ascending) lo = resume;
    else hi = resume;
  }
  const pageLo = r.ascending ? lo : Math.max(lo, hi - perPage);
  const pageHi = r.ascending ? Math.min(hi, lo + perPage) : hi;
  const complete = r.ascending ? pageHi === hi : pageLo === lo;
  return {
    from: r.start + pageLo * slotMs,
    to: Math.min(r.end, r.start + pageHi * slotMs),
    complete,
    ...(complete ? {} : { nextToken: `${r.ascending ? pageHi : pageLo}.${fingerprint}` }),
  };
}

function readToken(token: string, fingerprint: string): number {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{16})$/.exec(token);
  if (!m || m[2] !== fingerprint) throw invalidNextToken();
  return Number(m[1]);
}
