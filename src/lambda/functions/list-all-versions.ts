/**
 * ListFunctions with `FunctionVersion=ALL`: every function's `$LATEST` and published versions,
 * by function name, then as ListVersionsByFunction orders them (`$LATEST`, then by number).
 * The marker carries the last entry's `name:version` (a function name has no `:`), so a page
 * resumes after it however functions and versions came and went in between.
 * https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
 */
import { LambdaErrors } from '../lambda-errors.js';
import type { FunctionRecord, FunctionStore } from '../store/function-store.js';

const rank = (version: string) => (version === '$LATEST' ? -1 : Number(version));

/** The marker key of an entry. */
export function entryKey(record: Pick<FunctionRecord, 'name' | 'version'>): string {
  return `${record.name}:${record.version}`;
}

function parseKey(key: string): { name: string; version: string } {
  const at = key.lastIndexOf(':');
  if (at <= 0 || at === key.length - 1) throw LambdaErrors.invalidParameter('Invalid Marker.');
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

/** One page of all versions after the entry `afterKey`, and the key of its last entry when more remain. */
export async function listAllVersions(
  store: Pick<FunctionStore, 'listLatest' | 'listVersions'>,
  afterKey: string | undefined,
  limit: number,
): Promise<{ page: FunctionRecord[]; nextKey?: string }> {
  // One entry past the page tells whether another page follows.
  const items: FunctionRecord[] = [];
  let afterName: string | undefined;
  if (afterKey !== undefined) {
    const after = parseKey(afterKey);
    const rest = (await store.listVersions(after.name)).filter((r) => rank(r.version) > rank(after.version));
    items.push(...rest);
    afterName = after.name;
  }
  while (items.length <= limit) {
    const functions = await store.listLatest(afterName, limit + 1);
    for (const latest of functions) {
      items.push(...(await store.listVersions(latest.name)));
      if (items.length > limit) break;
    }
    if (functions.length <= limit) break;
    afterName = functions[functions.length - 1]!.name;
  }
  const page = items.slice(0, limit);
  return items.length > limit ? { page, nextKey: entryKey(page[page.length - 1]!) } : { page };
}
