/**
 * The values metric math computes with, as AWS types them: a scalar (S), a time series (TS), an
 * array of time series (TS[]), plus the words and strings some functions take as arguments.
 */

/** One time series: values by period start (ms). */
export interface Series {
  label: string;
  /** Seconds between points: the period it was read with. */
  period: number;
  points: Map<number, number>;
}

export type MathValue =
  | { type: 'S'; value: number }
  | { type: 'TS'; series: Series }
  | { type: 'TS[]'; list: Series[] }
  /** REPEAT, LINEAR and other uppercase words, only meaningful as function arguments. */
  | { type: 'keyword'; name: string }
  | { type: 'string'; value: string };

/** What an expression can see of its request. */
export interface MathContext {
  /** The value of another query, by Id; undefined when no query has that Id. */
  resolve(id: string): MathValue | undefined;
  /** The MetricStat queries' series, in request order, with their Ids (for METRICS()). */
  metrics(): { id: string; series: Series }[];
  /** Where the request's periods are counted from (its start, aligned); default `startTime` to the minute. */
  origin?: number;
  /** The time range this call computes (one page of the request's), for functions that fill every period. */
  startTime: number;
  endTime: number;
  /** The most periods a filled series may have (the page was sized for them); default MAX_GRID_POINTS. */
  maxGridPoints?: number;
  /** Period for series made from nothing (TIME_SERIES): the query's own, else the request's shortest. */
  defaultPeriod: number;
}

/** A filled series' most periods when the caller sets none: GetMetricData's most data points. */
export const MAX_GRID_POINTS = 100_800;

/** Every timestamp of the series, ascending. */
export function union(...all: Series[]): number[] {
  const times = new Set<number>();
  for (const s of all) for (const t of s.points.keys()) times.add(t);
  return [...times].sort((x, y) => x - y);
}

/** How an error message names a value's type. */
export function describeType(v: MathValue): string {
  switch (v.type) {
    case 'S':
      return 'a scalar';
    case 'TS':
      return 'a time series';
    case 'TS[]':
      return 'an array of time series';
    case 'keyword':
      return `the keyword ${v.name}`;
    case 'string':
      return 'a string';
  }
}
