/**
 * Content-addressed storage of deployment packages: `<dir>/<sha256>.zip` and its extraction
 * `<dir>/<sha256>/`. The same zip uploaded twice (or by two functions) is stored and
 * extracted once; extraction happens in a private temporary folder then is renamed into place,
 * so a half-extracted package is never visible. Layers are stored the same way, and each
 * distinct ordered list of layers a function uses gets one merged tree, `<dir>/opt-<key>/`
 * (what an environment sees as /opt), built the same way: staged, then renamed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { layerTreeKey, overlayTrees } from './layer-tree.js';
import { extractZip, inspectZip, type ExtractLimits } from './zip-extract.js';

export interface StoredCode {
  /** Lowercase hex SHA-256 of the zip: the storage key. */
  sha256Hex: string;
  /** Base64 SHA-256, as Lambda reports CodeSha256. */
  sha256Base64: string;
  size: number;
  unzippedSize: number;
}

export class CodeStore {
  constructor(
    private readonly dir: string,
    private readonly limits: ExtractLimits,
  ) {}

  /** Stores and extracts `zip` (validated first), unless that content is already stored. */
  async put(zip: Buffer): Promise<StoredCode> {
    const digest = createHash('sha256').update(zip).digest();
    const sha256Hex = digest.toString('hex');
    const { unzippedSize } = await inspectZip(zip, this.limits);
    const target = this.codeDir(sha256Hex);
    if (!existsSync(target)) {
      await mkdir(this.dir, { recursive: true });
      const staging = join(this.dir, `.staging-${sha256Hex}-${randomBytes(4).toString('hex')}`);
      await mkdir(staging, { mode: 0o755 });
      try {
        await extractZip(zip, staging, this.limits);
        await writeFile(this.zipPath(sha256Hex), zip);
        await rename(staging, target).catch(async (err) => {
          // Lost a race with an identical upload: theirs is as good as ours.
          if (!existsSync(target)) throw err;
        });
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    }
    return { sha256Hex, sha256Base64: digest.toString('base64'), size: zip.length, unzippedSize };
  }

  /** The extracted package (what an environment sees as /var/task). */
  codeDir(sha256Hex: string): string {
    return join(this.dir, sha256Hex);
  }

  /** The merged tree of an ordered list of stored layers (what an environment sees as /opt). */
  layerTreeDir(sha256Hexes: readonly string[]): string {
    return join(this.dir, `opt-${layerTreeKey(sha256Hexes)}`);
  }

  /** Builds the merged tree of these stored layers unless it exists; returns its path. */
  async putLayerTree(sha256Hexes: readonly string[]): Promise<string> {
    const target = this.layerTreeDir(sha256Hexes);
    if (existsSync(target)) return target;
    await mkdir(this.dir, { recursive: true });
    const staging = join(this.dir, `.staging-opt-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { mode: 0o755 });
    try {
      await overlayTrees(staging, sha256Hexes.map((hex) => this.codeDir(hex)));
      await rename(staging, target).catch(async (err) => {
        if (!existsSync(target)) throw err;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return target;
  }

  /** The extracted size of a stored zip (read from its entries, nothing extracted). */
  async unzippedSize(sha256Hex: string): Promise<number> {
    return (await inspectZip(await readFile(this.zipPath(sha256Hex)), this.limits)).unzippedSize;
  }

  /** The original zip, served by GetFunction's Code.Location. */
  zipPath(sha256Hex: string): string {
    return join(this.dir, `${sha256Hex}.zip`);
  }
}
