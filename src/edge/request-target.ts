/**
 * The request line's target split once into raw path and raw query. Both stay percent-encoded:
 * SigV4 signs the encoded form, routing matches it, and labels are decoded only once matched.
 */
import { parseQuery } from './sigv4-canonical.js';

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
