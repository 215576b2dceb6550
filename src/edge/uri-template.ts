/**
 * Routing by the models' `http.requestUri` templates, compiled once:
 *   /2015-03-31/functions/{FunctionName}/invocations   a label is one path segment
 *   /{Bucket}/{Key+}                                   a greedy label takes the rest of the path
 *   /2018-10-31/layers?find=LayerVersion               literal query parts must be present
 * More specific templates win: literal segments before labels before greedy labels, then
 * templates with more literal query parts. A trailing slash is not significant (botocore's and
 * aws-sdk's models disagree on `/2015-03-31/functions` vs `/2015-03-31/functions/`), except
 * under a greedy label, where it is part of the value. Labels are percent-decoded.
 */

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'label'; name: string; prefix: string; suffix: string }
  | { kind: 'greedy'; name: string; prefix: string };

interface CompiledRoute<T> {
  method: string;
  template: string;
  segments: Segment[];
  greedy: boolean;
  query: Array<[string, string | undefined]>;
  value: T;
}

/** A route to compile: method, template, and what a match returns. */
export interface RouteSpec<T> {
  method: string;
  requestUri: string;
  value: T;
}

/** A matched route and its decoded labels. */
export interface RouteMatch<T> {
  value: T;
  labels: Record<string, string>;
}

const LABEL = /^(.*)\{([^}]+?)(\+?)\}(.*)$/;

/** Compiles one requestUri template into its segments and query literals. */
function compile<T>(spec: RouteSpec<T>): CompiledRoute<T> {
  const q = spec.requestUri.indexOf('?');
  const path = q < 0 ? spec.requestUri : spec.requestUri.slice(0, q);
  const query: Array<[string, string | undefined]> = [];
  if (q >= 0) {
    for (const part of spec.requestUri.slice(q + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      query.push(eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
    }
  }
  const raw = path.split('/').slice(1);
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const segments: Segment[] = raw.map((text) => {
    const m = LABEL.exec(text);
    if (!m) return { kind: 'literal', text };
    return m[3] === '+'
      ? { kind: 'greedy', name: m[2]!, prefix: m[1]! }
      : { kind: 'label', name: m[2]!, prefix: m[1]!, suffix: m[4]! };
  });
  const greedy = segments.some((s) => s.kind === 'greedy');
  return { method: spec.method.toUpperCase(), template: spec.requestUri, segments, greedy, query, value: spec.value };
}

const KIND_RANK = { literal: 0, label: 1, greedy: 2 } as const;

function specificity(a: CompiledRoute<unknown>, b: CompiledRoute<unknown>): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = KIND_RANK[a.segments[i]!.kind] - KIND_RANK[b.segments[i]!.kind];
    if (d !== 0) return d;
  }
  if (a.query.length !== b.query.length) return b.query.length - a.query.length;
  return b.segments.length - a.segments.length;
}

/** Matches (method, raw path, query) to the most specific route. */
export class UriRouter<T> {
  private readonly byMethod = new Map<string, CompiledRoute<T>[]>();

  constructor(specs: Iterable<RouteSpec<T>>) {
    for (const spec of specs) {
      const route = compile(spec);
      const list = this.byMethod.get(route.method) ?? [];
      list.push(route);
      this.byMethod.set(route.method, list);
    }
    for (const list of this.byMethod.values()) list.sort(specificity);
  }

  /**
   * The best route for the request, or undefined. `rawPath` is still percent-encoded; a label
   * that is not valid percent-encoding throws URIError.
   */
  match(method: string, rawPath: string, query: ReadonlyArray<readonly [string, string]>): RouteMatch<T> | undefined {
    const routes = this.byMethod.get(method);
    if (!routes) return undefined;
    const all = rawPath.split('/').slice(1);
    const trimmed = all.length > 0 && all[all.length - 1] === '' ? all.slice(0, -1) : all;
    for (const route of routes) {
      const labels = matchRoute(route, route.greedy ? all : trimmed, query);
      if (labels) return { value: route.value, labels };
    }
    return undefined;
  }

  /** The methods under which some route matches the path (for "wrong method" messages). */
  methodsFor(rawPath: string, query: ReadonlyArray<readonly [string, string]>): string[] {
    return [...this.byMethod.keys()].filter((m) => this.match(m, rawPath, query) !== undefined);
  }
}

function matchRoute<T>(
  route: CompiledRoute<T>,
  parts: string[],
  query: ReadonlyArray<readonly [string, string]>,
): Record<string, string> | undefined {
  const { segments } = route;
  if (route.greedy ? parts.length < segments.length : parts.length !== segments.length) return undefined;
  // Literals first: they reject most routes before any decoding.
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === 'literal' && s.text !== parts[i] && s.text !== safeDecode(parts[i]!)) return undefined;
  }
  for (const [key, value] of route.query) {
    if (!query.some(([k, v]) => k === key && (value === undefined || v === value))) return undefined;
  }
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === 'label') {
      const part = parts[i]!;
      if (part.length <= s.prefix.length + s.suffix.length || !part.startsWith(s.prefix) || !part.endsWith(s.suffix)) {
        return undefined;
      }
      labels[s.name] = decodeURIComponent(part.slice(s.prefix.length, part.length - s.suffix.length));
    } else if (s.kind === 'greedy') {
      const rest = parts.slice(i).join('/');
      if (!rest.startsWith(s.prefix) || rest.length === s.prefix.length) return undefined;
      labels[s.name] = decodeURIComponent(rest.slice(s.prefix.length));
    }
  }
  return labels;
}

function safeDecode(text: string): string | undefined {
  if (!text.includes('%')) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
