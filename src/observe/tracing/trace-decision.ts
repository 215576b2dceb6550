/**
 * What Lambda does with a request's tracing header before the function sees it (TracingConfig):
 *
 * - an upstream decision (`Sampled=1` or `Sampled=0`) is kept in both modes;
 * - without one (no header, no valid `Root`, or `Sampled=?`), `Active` decides by the sampling
 *   rule (xray-sampler.ts) and `PassThrough` does not sample;
 * - without a valid header a new trace id is made, so the function always has `_X_AMZN_TRACE_ID`.
 *
 * An asynchronous event keeps its decided header and is decided again at each attempt: its
 * `Sampled=` is then an upstream decision, so the outcome is the same.
 *
 * https://docs.aws.amazon.com/lambda/latest/api/API_TracingConfig.html
 * https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
 */
import { newTraceRandom } from './trace-ids.js';
import type { TraceSampler } from './xray-sampler.js';
import { formatTraceHeader, newTraceRoot, parseTraceHeader, type XRayTraceHeader } from './xray-trace-header.js';

/** TracingConfig.Mode. */
export type TracingMode = 'Active' | 'PassThrough';

/** A request's trace after the decision. */
export interface TraceDecision {
  /** Its fields, `sampled` always '0' or '1'. */
  header: XRayTraceHeader;
  sampled: boolean;
  /** The header as text: what an asynchronous event keeps and the function sees. */
  value: string;
}

/** Decides the trace of one request to function `functionName`; `incoming` is its X-Amzn-Trace-Id, if any. */
export function decideTrace(
  incoming: string | string[] | undefined,
  mode: TracingMode,
  nowMs: number,
  sampler: TraceSampler,
  functionName: string,
): TraceDecision {
  const text = Array.isArray(incoming) ? incoming[0] : incoming;
  const parsed = text ? parseTraceHeader(text) : undefined;
  const upstream = parsed?.sampled === '1' ? true : parsed?.sampled === '0' ? false : undefined;
  const sampled = upstream ?? (mode === 'Active' ? sampler.sample(functionName) : false);
  const header: XRayTraceHeader = parsed
    ? { ...parsed, sampled: sampled ? '1' : '0' }
    : { root: newTraceRoot(nowMs, newTraceRandom()), sampled: sampled ? '1' : '0' };
  return { header, sampled, value: formatTraceHeader(header) };
}
