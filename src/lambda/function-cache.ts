/**
 * The in-memory view of `$LATEST` records that keeps the warm invoke path off the store. Every
 * write through the control plane updates it; misses read the store. (A cluster will add
 * cross-node invalidation; one node owns all writes today.)
 */
import type { FunctionSpec } from '../sandbox/types.js';
import type { FunctionRecord, FunctionStore } from '../store/store.js';

export interface ResolvedFunction {
  record: FunctionRecord;
  /** Built once per record revision, handed to the sandbox on every invoke. */
  spec: FunctionSpec;
}

export class FunctionCache {
  private readonly entries = new Map<string, ResolvedFunction>();

  constructor(
    private readonly store: FunctionStore,
    private readonly toSpec: (record: FunctionRecord) => FunctionSpec,
  ) {}

  /** The function's `$LATEST`, or undefined when it does not exist. */
  async get(name: string): Promise<ResolvedFunction | undefined> {
    const hit = this.entries.get(name);
    if (hit) return hit;
    const record = await this.store.get(name, '$LATEST');
    if (!record) return undefined;
    // A write may have landed while we read; prefer what the write put in.
    return this.entries.get(name) ?? this.put(record);
  }

  /** Records the newest state of a function after a write. */
  put(record: FunctionRecord): ResolvedFunction {
    const resolved = { record, spec: this.toSpec(record) };
    this.entries.set(record.name, resolved);
    return resolved;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }
}
