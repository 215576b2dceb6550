import { describe, expect, it } from 'vitest';
import type { FunctionRecord } from '../store/function-store.js';
import { listAllVersions } from './list-all-versions.js';

/** The two store reads the listing uses, over a plain list (ordered as the SQLite store orders them). */
function storeOf(entries: Array<[string, string]>) {
  const records = entries.map(([name, version]) => ({ name, version }) as FunctionRecord);
  const rank = (v: string) => (v === '$LATEST' ? -1 : Number(v));
  return {
    records,
    async listLatest(afterName: string | undefined, limit: number) {
      return records
        .filter((r) => r.version === '$LATEST' && (afterName === undefined || r.name > afterName))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .slice(0, limit);
    },
    async listVersions(name: string) {
      return records.filter((r) => r.name === name).sort((a, b) => rank(a.version) - rank(b.version));
    },
  };
}

const keys = (page: FunctionRecord[]) => page.map((r) => `${r.name}:${r.version}`);

async function all(store: ReturnType<typeof storeOf>, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let marker: string | undefined;
  do {
    const { page, nextKey } = await listAllVersions(store, marker, limit);
    pages.push(keys(page));
    marker = nextKey;
  } while (marker !== undefined && pages.length < 100);
  return pages;
}

describe('listAllVersions', () => {
  const store = storeOf([
    ['b', '$LATEST'],
    ['a', '10'],
    ['a', '$LATEST'],
    ['a', '2'],
    ['c', '$LATEST'],
    ['b', '1'],
  ]);

  it('lists every version by name, $LATEST first and numbers in order', async () => {
    expect(await all(store, 50)).toEqual([['a:$LATEST', 'a:2', 'a:10', 'b:$LATEST', 'b:1', 'c:$LATEST']]);
  });

  it('pages by entries, across and within functions, whatever the page size', async () => {
    expect(await all(store, 2)).toEqual([
      ['a:$LATEST', 'a:2'],
      ['a:10', 'b:$LATEST'],
      ['b:1', 'c:$LATEST'],
    ]);
    for (const limit of [1, 3, 4, 5, 6]) expect((await all(store, limit)).flat()).toHaveLength(6);
    expect(await all(store, 6)).toEqual([['a:$LATEST', 'a:2', 'a:10', 'b:$LATEST', 'b:1', 'c:$LATEST']]);
  });

  it('resumes after the marker’s entry even when it was deleted meanwhile', async () => {
    const changing = storeOf([
      ['a', '$LATEST'],
      ['a', '1'],
      ['a', '2'],
      ['b', '$LATEST'],
    ]);
    const first = await listAllVersions(changing, undefined, 2);
    expect(keys(first.page)).toEqual(['a:$LATEST', 'a:1']);
    changing.records.splice(1, 1); // a:1 deleted
    const second = await listAllVersions(changing, first.nextKey, 2);
    expect(keys(second.page)).toEqual(['a:2', 'b:$LATEST']);
    expect(second.nextKey).toBeUndefined();
  });

  it('refuses a key it did not make', async () => {
    await expect(listAllVersions(store, 'no-colon', 2)).rejects.toThrow(/Invalid Marker/);
  });
});
