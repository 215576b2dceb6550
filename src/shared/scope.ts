/**
 * Where a resource lives: an account and a region. Every service keys its state by scope: the
 * region comes from the request's SigV4 credential scope, the account from its credentials, so
 * a function `f` in us-east-1 and one in eu-west-1 are two functions with their own ARNs, logs
 * and metrics.
 */
export interface Scope {
  accountId: string;
  region: string;
}

/** One string per scope, for in-memory maps (`000000000000/us-east-1`). */
export function scopeKey(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}

/** Just the scope of something that has one (a context, a record). */
export function scopeOf(of: Scope): Scope {
  return { accountId: of.accountId, region: of.region };
}

/** Whether two scopes are the same account and region. */
export function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}
