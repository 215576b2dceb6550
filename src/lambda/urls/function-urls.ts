/**
 * The function URL table the request path reads: configurations by URL id, in memory, loaded
 * from the store at start and kept current by the control plane's writes (one node owns all
 * writes today, like FunctionCache). Also how a URL id and a URL are made.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html
 */
import { createHash } from 'node:crypto';
import { sameScope, type Scope } from '../../shared/scope.js';
import type { FunctionUrlConfigRecord } from '../store/function-url-store.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The URL id of a function and qualifier: 32 lowercase alphanumerics, deterministic (as AWS's,
 * derived from the account among other things), so a recreated configuration keeps its URL.
 */
export function functionUrlId(scope: Scope, functionName: string, qualifier: string): string {
  const digest = createHash('sha256').update(`${scope.accountId}\n${scope.region}\n${functionName}\n${qualifier}`).digest();
  let id = '';
  for (let i = 0; i < 32; i++) id += ALPHABET[digest[i]! % ALPHABET.length];
  return id;
}

/** The host a URL id is served on: `URLID.lambda-url.REGION.localhost` (AWS: `….on.aws`). */
export function functionUrlHost(urlId: string, region: string): string {
  return `${urlId}.lambda-url.${region}.localhost`;
}

/** `http://URLID.lambda-url.REGION.localhost:PORT/`, the port taken from the caller's base URL. */
export function functionUrl(urlId: string, region: string, baseUrl: string): string {
  let port = '';
  try {
    port = new URL(baseUrl).port;
  } catch {
    // a garbage Host header: no port
  }
  return `http://${functionUrlHost(urlId, region)}${port ? `:${port}` : ''}/`;
}

/** Every scope's configurations by URL id (ids are unique: each is derived from its account and region). */
export class FunctionUrls {
  private readonly byId = new Map<string, FunctionUrlConfigRecord>();

  /** Takes every configuration read from the store; call once before serving. */
  load(configs: Iterable<FunctionUrlConfigRecord>): void {
    for (const config of configs) this.byId.set(config.urlId, config);
  }

  /** The configuration a URL id belongs to. */
  find(urlId: string): FunctionUrlConfigRecord | undefined {
    return this.byId.get(urlId);
  }

  put(config: FunctionUrlConfigRecord): void {
    this.byId.set(config.urlId, config);
  }

  remove(scope: Scope, functionName: string, qualifier: string): void {
    for (const [id, c] of this.byId) if (sameScope(c, scope) && c.functionName === functionName && c.qualifier === qualifier) this.byId.delete(id);
  }

  /** Forgets every configuration of a deleted function. */
  removeFunction(scope: Scope, functionName: string): void {
    for (const [id, c] of this.byId) if (sameScope(c, scope) && c.functionName === functionName) this.byId.delete(id);
  }
}
