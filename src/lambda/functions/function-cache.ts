/**
 * The in-memory view of each function — `$LATEST`, its published versions and its aliases —
 * that keeps the warm invoke path off the store: resolving a qualifier is a map lookup. Every
 * write through the control plane updates it; a miss loads the whole function from the store
 * once. (A cluster will add cross-node invalidation; one node owns all writes today.)
 */
import type { FunctionSpec } from '../../sandbox/types.js';
import type { AliasRecord, FunctionRecord, FunctionStore } from '../store/function-store.js';

export interface ResolvedFunction {
  record: FunctionRecord;
  /** Built once per record revision, handed to the sandbox on every invoke. */
  spec: FunctionSpec;
}

/** Everything about one function that the invoke path and the control plane read. */
export interface FunctionState {
  latest: ResolvedFunction;
  /** Published versions by number. */
  versions: Map<string, ResolvedFunction>;
  aliases: Map<string, AliasRecord>;
}

export class FunctionCache {
  private readonly entries = new Map<string, FunctionState>();
  private readonly loading = new Map<string, Promise<FunctionState | undefined>>();
  /** Bumped by delete(): a load that started before a delete must not bring the function back. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly store: FunctionStore,
    private readonly toSpec: (record: FunctionRecord) => FunctionSpec,
  ) {}

  /** The function's state, or undefined when it does not exist. */
  async get(name: string): Promise<FunctionState | undefined> {
    const hit = this.entries.get(name);
    if (hit) return hit;
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  /** Starts the cache entry of a function that was just created. */
  create(record: FunctionRecord): FunctionState {
    const state: FunctionState = { latest: this.resolve(record), versions: new Map(), aliases: new Map() };
    this.entries.set(record.name, state);
    return state;
  }

  /**
   * Records the newest state of `$LATEST` or a published version after a write. A function not
   * in memory is left alone: its next load reads the store, which already has the write.
   */
  put(record: FunctionRecord): ResolvedFunction {
    const resolved = this.resolve(record);
    const state = this.entries.get(record.name);
    if (state) {
      if (record.version === '$LATEST') state.latest = resolved;
      else state.versions.set(record.version, resolved);
    }
    return resolved;
  }

  removeVersion(name: string, version: string): void {
    this.entries.get(name)?.versions.delete(version);
  }

  putAlias(alias: AliasRecord): void {
    this.entries.get(alias.functionName)?.aliases.set(alias.name, alias);
  }

  removeAlias(functionName: string, name: string): void {
    this.entries.get(functionName)?.aliases.delete(name);
  }

  /** Forgets the whole function (it was deleted). */
  delete(name: string): void {
    this.entries.delete(name);
    this.generations.set(name, (this.generations.get(name) ?? 0) + 1);
  }

  private async load(name: string): Promise<FunctionState | undefined> {
    const generation = this.generations.get(name) ?? 0;
    const [records, aliases] = await Promise.all([this.store.listVersions(name), this.store.listAliases(name)]);
    const latest = records.find((r) => r.version === '$LATEST');
    if (!latest) return undefined;
    // A write may have landed while we read; prefer what the write put in.
    const existing = this.entries.get(name);
    if (existing) return existing;
    const state: FunctionState = {
      latest: this.resolve(latest),
      versions: new Map(records.filter((r) => r !== latest).map((r) => [r.version, this.resolve(r)])),
      aliases: new Map(aliases.map((a) => [a.name, a])),
    };
    if ((this.generations.get(name) ?? 0) !== generation) return undefined;
    this.entries.set(name, state);
    return state;
  }

  private resolve(record: FunctionRecord): ResolvedFunction {
    return { record, spec: this.toSpec(record) };
  }
}
