/**
 * The X-Ray tracing header, `X-Amzn-Trace-Id`: `Root=1-<epoch>-<random>;Parent=<id>;Sampled=<0|1|?>`,
 * with Lambda's `Lineage=` and other services' fields (`Self=` of load balancers) alongside.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 */

/** A sampling decision as the header carries it: `?` asks the receiver to decide. */
export type SampledFlag = '0' | '1' | '?';

/** The fields of one tracing header. */
export interface XRayTraceHeader {
  /** The trace id, `1-<8 hex: epoch seconds>-<24 hex: random>`. */
  root: string;
  /** The caller's segment (span) id, 16 hex digits. */
  parent?: string;
  sampled?: SampledFlag;
  /** Lambda's recursion-detection field: opaque here, passed on as given. */
  lineage?: string;
  /** Any other `Key=Value` fields, in order, passed on as given. */
  others?: string[];
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * Reads a header; undefined when it has no valid `Root` (then it cannot be joined to anything and
 * the caller starts a new trace). Keys are matched case-insensitively and hex is lowercased, as
 * lenient readers do; an invalid `Parent` or `Sampled` is dropped; the first of duplicates wins.
 */
export function parseTraceHeader(value: string): XRayTraceHeader | undefined {
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: SampledFlag | undefined;
  let lineage: string | undefined;
  let others: string[] | undefined;
  const seen = new Set<string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    const lower = key.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    if (lower === 'root') {
      const r = v.toLowerCase();
      if (ROOT.test(r)) root = r;
    } else if (lower === 'parent') {
      const p = v.toLowerCase();
      if (SPAN_ID.test(p) && p !== '0000000000000000') parent = p;
    } else if (lower === 'sampled') {
      if (v === '0' || v === '1' || v === '?') sampled = v;
    } else if (lower === 'lineage') {
      if (v.length > 0) lineage = v;
    } else if (key.length > 0) {
      (others ??= []).push(`${key}=${v}`);
    }
  }
  if (root === undefined) return undefined;
  const header: XRayTraceHeader = { root };
  if (parent !== undefined) header.parent = parent;
  if (sampled !== undefined) header.sampled = sampled;
  if (lineage !== undefined) header.lineage = lineage;
  if (others !== undefined) header.others = others;
  return header;
}

/** Writes a header in the order Lambda gives its functions: Root, Parent, Sampled, Lineage, the rest. */
export function formatTraceHeader(h: XRayTraceHeader): string {
  let out = `Root=${h.root}`;
  if (h.parent !== undefined) out += `;Parent=${h.parent}`;
  if (h.sampled !== undefined) out += `;Sampled=${h.sampled}`;
  if (h.lineage !== undefined) out += `;Lineage=${h.lineage}`;
  if (h.others) for (const field of h.others) out += `;${field}`;
  return out;
}

/** A new trace id: the epoch second as 8 hex digits, then 24 random hex digits. */
export function newTraceRoot(nowMs: number, random24Hex: string): string {
  return `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${random24Hex}`;
}

/**
 * The OpenTelemetry trace id of an X-Ray root: its 32 hex digits without the version and dashes
 * (`1-5759e988-bd862e3fe1be46a994272793` → `5759e988bd862e3fe1be46a994272793`), as the AWS X-Ray
 * propagator maps them.
 */
export function otelTraceId(root: string): string {
  return root.slice(2, 10) + root.slice(11);
}
