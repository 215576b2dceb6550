import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeZip } from '../../../test/support/zip.js';
import { CodeStore } from './code-store.js';
import { ZipRejected } from './zip-extract.js';

/** Renames an entry in a built zip (same length), to forge names yazl refuses to write. */
function forgeName(zip: Buffer, from: string, to: string): Buffer {
  expect(from.length).toBe(to.length);
  return Buffer.from(zip.toString('latin1').split(from).join(to), 'latin1');
}

describe('CodeStore', () => {
  let dir: string;
  let store: CodeStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-code-'));
    store = new CodeStore(join(dir, 'code'), { maxUnzippedBytes: 1024 * 1024, maxEntries: 100 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores by content and extracts with modes', async () => {
    const zip = await makeZip([
      { name: 'index.js', content: 'exports.handler = 1' },
      { name: 'bootstrap', content: '#!/bin/sh', mode: 0o755 },
      { name: 'lib/deep/a.txt', content: 'a' },
    ]);
    const stored = await store.put(zip);
    expect(stored.size).toBe(zip.length);
    expect(stored.unzippedSize).toBe(19 + 9 + 1);
    expect(Buffer.from(stored.sha256Base64, 'base64').toString('hex')).toBe(stored.sha256Hex);
    const code = store.codeDir(stored.sha256Hex);
    expect(readFileSync(join(code, 'lib/deep/a.txt'), 'utf8')).toBe('a');
    expect(statSync(join(code, 'bootstrap')).mode & 0o111).not.toBe(0);
    expect(readFileSync(store.zipPath(stored.sha256Hex))).toEqual(zip);
    // Same content again: same key, nothing new.
    expect((await store.put(zip)).sha256Hex).toBe(stored.sha256Hex);
  });

  it('refuses a blob that is not a zip', async () => {
    await expect(store.put(Buffer.from('definitely not a zip'))).rejects.toMatchObject({ reason: 'not-a-zip' });
  });

  it('refuses packages over the unzipped limit', async () => {
    const zip = await makeZip({ big: 'x'.repeat(2 * 1024 * 1024) });
    await expect(store.put(zip)).rejects.toMatchObject({ reason: 'too-large' });
  });

  it('refuses too many entries', async () => {
    const entries = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, '']));
    await expect(store.put(await makeZip(entries))).rejects.toMatchObject({ reason: 'too-many-entries' });
  });

  it('refuses entries that climb out with ..', async () => {
    const zip = forgeName(await makeZip({ 'AA/evil.txt': 'x' }), 'AA/evil.txt', '../evil.txt');
    await expect(store.put(zip)).rejects.toBeInstanceOf(ZipRejected);
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
  });

  it('refuses absolute entry names', async () => {
    const zip = forgeName(await makeZip({ 'tmpx/evil.txt': 'x' }), 'tmpx/evil.txt', '/tmp/evil.txt');
    // yauzl itself refuses absolute names; either way nothing lands outside.
    await expect(store.put(zip)).rejects.toBeInstanceOf(ZipRejected);
    expect(existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('keeps symlinks inside the package and refuses ones that point out', async () => {
    const inside = await store.put(await makeZip([{ name: 'a.txt', content: 'a' }, { name: 'link', symlinkTo: 'a.txt' }]));
    expect(lstatSync(join(store.codeDir(inside.sha256Hex), 'link')).isSymbolicLink()).toBe(true);
    await expect(store.put(await makeZip([{ name: 'out', symlinkTo: '/etc/passwd' }]))).rejects.toMatchObject({ reason: 'unsafe-path' });
    await expect(store.put(await makeZip([{ name: 'up', symlinkTo: '../../x' }]))).rejects.toMatchObject({ reason: 'unsafe-path' });
  });

  it('merges layers in order into one tree per ordered list: later files win, directories merge', async () => {
    const first = await store.put(
      await makeZip([
        { name: 'nodejs/node_modules/a/index.js', content: 'first' },
        { name: 'shared.txt', content: 'first' },
        { name: 'bin/tool', content: '#!/bin/sh', mode: 0o755 },
        { name: 'link', symlinkTo: 'shared.txt' },
      ]),
    );
    const second = await store.put(
      await makeZip([
        { name: 'nodejs/node_modules/b/index.js', content: 'second' },
        { name: 'shared.txt', content: 'second' },
        { name: 'link/inner.txt', content: 'a directory replaces a symlink' },
      ]),
    );
    const tree = await store.putLayerTree([first.sha256Hex, second.sha256Hex]);
    expect(tree).toBe(store.layerTreeDir([first.sha256Hex, second.sha256Hex]));
    expect(readFileSync(join(tree, 'shared.txt'), 'utf8')).toBe('second');
    expect(readFileSync(join(tree, 'nodejs/node_modules/a/index.js'), 'utf8')).toBe('first');
    expect(readFileSync(join(tree, 'nodejs/node_modules/b/index.js'), 'utf8')).toBe('second');
    expect(statSync(join(tree, 'bin/tool')).mode & 0o111).not.toBe(0);
    expect(lstatSync(join(tree, 'link')).isDirectory()).toBe(true);
    // The layers' own extractions are untouched.
    expect(readFileSync(join(store.codeDir(first.sha256Hex), 'shared.txt'), 'utf8')).toBe('first');
    expect(lstatSync(join(store.codeDir(first.sha256Hex), 'link')).isSymbolicLink()).toBe(true);
    // The other order is another tree; the same order again is the same one.
    const reversed = await store.putLayerTree([second.sha256Hex, first.sha256Hex]);
    expect(reversed).not.toBe(tree);
    expect(readFileSync(join(reversed, 'shared.txt'), 'utf8')).toBe('first');
    expect(await store.putLayerTree([first.sha256Hex, second.sha256Hex])).toBe(tree);
  });
});
