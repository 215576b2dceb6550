/**
 * Lambda's regions: one `LambdaDeps` per scope (account and region), made on first use and kept.
 * Each has its own function cache, concurrency limiter and provisioned environments over the
 * scope's stores; all share the sandbox pool, seen through a scoped executor so that retiring a
 * function's environments never touches a same-named function of another scope.
 */
import { scopeKey, type Scope } from '../shared/scope.js';
import type { FunctionSpec } from '../sandbox/types.js';
import { functionArn } from './arn.js';
import { ConcurrencyLimiter } from './concurrency/concurrency-limiter.js';
import { Provisioner } from './concurrency/provisioner.js';
import type { LambdaDeps, LambdaShared } from './deps.js';
import { FunctionCache } from './functions/function-cache.js';
import type { FunctionRecord } from './store/function-store.js';
import type { Executor } from './invoke/executor.js';
import type { LambdaStore } from './store/lambda-store.js';

export interface LambdaRegionsOptions {
  shared: LambdaShared;
  store: LambdaStore;
  /** The sandbox pool every scope runs in. */
  executor: Executor;
  /** Each scope's account concurrency limit. */
  concurrencyLimit: number;
  /** The sandbox's view of a stored version (function-spec.ts), for a scope. */
  toSpec(scope: Scope, record: FunctionRecord): FunctionSpec;
}

export class LambdaRegions {
  private readonly regions = new Map<string, LambdaDeps>();

  constructor(private readonly o: LambdaRegionsOptions) {}

  /** Lambda in `scope`. */
  at(of: Scope): LambdaDeps {
    const key = scopeKey(of);
    let deps = this.regions.get(key);
    if (!deps) {
      const scope: Scope = { accountId: of.accountId, region: of.region };
      const stores = this.o.store.at(scope);
      const executor = scopedExecutor(this.o.executor, scope);
      deps = {
        ...this.o.shared,
        scope,
        store: { ...stores, asyncEvents: this.o.store.asyncEvents },
        functions: new FunctionCache(stores.functions, (record) => this.o.toSpec(scope, record)),
        executor,
        concurrency: new ConcurrencyLimiter(this.o.concurrencyLimit),
        provisioner: new Provisioner(executor),
      };
      this.regions.set(key, deps);
    }
    return deps;
  }

  /** Every scope used since start. */
  all(): LambdaDeps[] {
    return [...this.regions.values()];
  }

  /** Restores each scope's reserved concurrency as it was accepted (no re-check). */
  async loadReservations(): Promise<void> {
    for (const r of await this.o.store.everywhere.reservations()) this.at(r).concurrency.restore(r.functionName, r.reserved);
  }
}

/** The shared pool as one scope sees it: retiring matches only that scope's functions. */
function scopedExecutor(pool: Executor, scope: Scope): Executor {
  const prefix = functionArn(scope, '');
  return {
    invoke: (spec, request) => pool.invoke(spec, request),
    retire: (predicate) => pool.retire((spec) => spec.functionArn.startsWith(prefix) && predicate(spec)),
    provision: (spec, count) => pool.provision(spec, count),
  };
}
