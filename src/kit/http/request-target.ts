/**
 * The request line's target split once into raw path and raw query. Both stay percent-encoded:
 * SigV4 signs the encoded form, routing matches it, and labels are decoded only once matched.
 */

/** Path and query of a request as sent, with the decoded query pairs parsed on first use. */
export class RequestTarget {
  readonly path: string;
  readonly query: string;
  private pairs?: Array<[string, string]>;

  constructor(url: string) {
    let target = url;
    // Absolute-form targets (sent to proxies) carry the origin; drop it.
    if (!target.startsWith('/') && /^https?:\/\//i.test(target)) {
      const slash = target.indexOf('/', target.indexOf('//') + 2);
      target = slash < 0 ? '/' : target.slice(slash);
    }
    const hash = target.indexOf('#');
    if (hash >= 0) target = target.slice(0, hash);
    const q = target.indexOf('?');
    this.path = q < 0 ? target : target.slice(0, q);
    this.query = q < 0 ? '' : target.slice(q + 1);
  }

  /** Decoded `[key, value]` pairs in wire order. */
  queryPairs(): Array<[string, string]> {
    return (this.pairs ??= parseQuery(this.query));
  }
}

/** Percent-decodes a query component; malformed input stays as sent (its signature then fails). */
export function decodeComponent(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Decoded query pairs in wire order; `a` and `a=` both give `['a', '']`. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (rawQuery === '') return pairs;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) pairs.push([decodeComponent(part), '']);
    else pairs.push([decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))]);
  }
  return pairs;
}
