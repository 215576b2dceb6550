import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../shared/errors.js';
import { MATH_WORK, MAX_DATAPOINTS, planPage, type PageRequest } from './metric-data-page.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const request = (o: Partial<PageRequest>): PageRequest => ({
  start: T0,
  end: T0 + 60 * MIN,
  queries: [{ period: 60, nodes: 0 }],
  maxDatapoints: MAX_DATAPOINTS,
  ascending: false,
  identity: 'q',
  ...o,
});
const minutes = (page: { from: number; to: number }) => [(page.from - T0) / MIN, (page.to - T0) / MIN];

describe('planPage', () => {
  it.each([
    ['an hour of one metric fits one page', {}, [0, 60], true],
    ['1970–2100 by the minute: the newest 100,800 minutes', { start: 0, end: Date.UTC(2100, 0, 1), queries: [{ period: 60, nodes: 0 }] }, [(Date.UTC(2100, 0, 1) - 100_800 * MIN) / MIN - T0 / MIN, (Date.UTC(2100, 0, 1) - T0) / MIN], false],
    ['MaxDatapoints shared by the queries', { maxDatapoints: 20, queries: [{ period: 60, nodes: 0 }, { period: 60, nodes: 0 }] }, [50, 60], false],
    ['longer periods take fewer points per minute', { maxDatapoints: 2, queries: [{ period: 600, nodes: 0 }] }, [40, 60], false],
    ['ascending pages start at the start', { maxDatapoints: 10, ascending: true }, [0, 10], false],
    ['metric math is sized by its nodes too', { start: T0, end: T0 + 100_000 * MIN, queries: [{ period: 60, nodes: 0 }, { period: 60, nodes: 100 }] }, [100_000 - MATH_WORK / 100, 100_000], false],
    ['at least one period, however small MaxDatapoints', { maxDatapoints: 1, queries: [{ period: 60, nodes: 0 }, { period: 60, nodes: 0 }] }, [59, 60], false],
  ])('%s', (_what, o, window, complete) => {
    const page = planPage(request(o as Partial<PageRequest>));
    expect(minutes(page)).toEqual(window);
    expect(page.complete).toBe(complete);
    expect(page.nextToken !== undefined).toBe(!complete);
  });

  it.each([false, true])('covers the range exactly once by following NextToken (ascending: %s)', (ascending) => {
    const seen: number[][] = [];
    let token: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = planPage(request({ maxDatapoints: 7, ascending, token }));
      seen.push(minutes(page));
      token = page.nextToken;
      if (!token) break;
    }
    const covered = seen.flatMap(([from, to]) => Array.from({ length: to! - from! }, (_, k) => from! + k)).sort((a, b) => a - b);
    expect(covered).toEqual(Array.from({ length: 60 }, (_, k) => k));
    expect(seen).toHaveLength(9);
  });

  it.each([
    ['not ours', 'abc'],
    ['another request', () => planPage(request({ maxDatapoints: 7, identity: 'other' })).nextToken!],
    ['another range', () => planPage(request({ maxDatapoints: 7, end: T0 + 61 * MIN })).nextToken!],
    ['a slot out of range', () => planPage(request({ maxDatapoints: 7 })).nextToken!.replace(/^\d+/, '60')],
  ])('refuses a token of %s with InvalidNextToken', (_what, token) => {
    const given = typeof token === 'string' ? token : token();
    let error: unknown;
    try {
      planPage(request({ maxDatapoints: 7, token: given }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('InvalidNextToken');
  });
});
