/**
 * Safe extraction of a deployment package. Whatever the zip says, nothing is written outside
 * the target directory: absolute names, `..` segments and symlinks that point outside are
 * refused, and sizes and entry counts are capped while streaming (declared sizes are not
 * trusted: yauzl verifies them against what actually inflates).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export interface ExtractLimits {
  /** Maximum total uncompressed bytes. */
  maxUnzippedBytes: number;
  /** Maximum number of entries. */
  maxEntries: number;
}

/** Why a zip was refused; the caller maps it to the AWS error. */
export class ZipRejected extends Error {
  constructor(
    readonly reason: 'not-a-zip' | 'too-large' | 'too-many-entries' | 'unsafe-path',
    message: string,
  ) {
    super(message);
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) =>
      err || !zip ? fail(new ZipRejected('not-a-zip', err?.message ?? 'not a zip')) : ok(zip),
    ),
  );
}

/** Resolves an entry name inside `root`, or undefined when it would escape. */
export function safeEntryPath(root: string, name: string): string | undefined {
  const cleaned = name.replace(/\\/g, '/');
  if (cleaned.startsWith('/') || /^[a-zA-Z]:/.test(cleaned)) return undefined;
  const target = resolve(root, cleaned);
  const rel = relative(root, target);
  if (rel === '') return root;
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return target;
}

/** Reads every entry's declared size to give the unzipped total, without writing anything. */
export async function inspectZip(buffer: Buffer, limits: ExtractLimits): Promise<{ unzippedSize: number; entries: number }> {
  const zip = await openZip(buffer);
  let unzippedSize = 0;
  let entries = 0;
  return new Promise((ok, fail) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries++;
      unzippedSize += entry.uncompressedSize;
      if (entries > limits.maxEntries) {
        zip.close();
        return fail(new ZipRejected('too-many-entries', `Zip has more than ${limits.maxEntries} entries`));
      }
      if (unzippedSize > limits.maxUnzippedBytes) {
        zip.close();
        return fail(new ZipRejected('too-large', `Unzipped size must be smaller than ${limits.maxUnzippedBytes} bytes`));
      }
      zip.readEntry();
    });
    zip.on('end', () => ok({ unzippedSize, entries }));
    zip.on('error', (err) => fail(new ZipRejected('not-a-zip', err.message)));
    zip.readEntry();
  });
}

/** Extracts `buffer` into the existing empty directory `root`, keeping unix file modes. */
export async function extractZip(buffer: Buffer, root: string, limits: ExtractLimits): Promise<void> {
  const zip = await openZip(buffer);
  let written = 0;
  let entries = 0;
  const links: { path: string; target: string }[] = [];

  const handle = async (entry: yauzl.Entry): Promise<void> => {
    if (++entries > limits.maxEntries) throw new ZipRejected('too-many-entries', `Zip has more than ${limits.maxEntries} entries`);
    const path = safeEntryPath(root, entry.fileName);
    if (!path) throw new ZipRejected('unsafe-path', `Zip entry escapes the package: ${entry.fileName}`);
    const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
    const type = mode & S_IFMT;
    if (entry.fileName.endsWith('/') || type === S_IFDIR) {
      await mkdir(path, { recursive: true });
      return;
    }
    await mkdir(dirname(path), { recursive: true });
    const stream = await new Promise<NodeJS.ReadableStream>((ok, fail) =>
      zip.openReadStream(entry, (err, s) => (err || !s ? fail(err) : ok(s))),
    );
    if (type === S_IFLNK) {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      links.push({ path, target: Buffer.concat(chunks).toString('utf8') });
      return;
    }
    stream.on('data', (chunk: Buffer) => {
      written += chunk.length;
      if (written > limits.maxUnzippedBytes) {
        (stream as any).destroy(new ZipRejected('too-large', `Unzipped size must be smaller than ${limits.maxUnzippedBytes} bytes`));
      }
    });
    // Lambda needs files world-readable; keep the zip's execute bits (a `bootstrap` needs them).
    const perms = (mode & 0o777) || 0o644;
    await pipeline(stream, createWriteStream(path, { mode: perms | 0o444 }));
  };

  await new Promise<void>((ok, fail) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      handle(entry).then(
        () => zip.readEntry(),
        (err) => {
          zip.close();
          fail(err instanceof ZipRejected ? err : new ZipRejected('not-a-zip', String(err?.message ?? err)));
        },
      );
    });
    zip.on('end', () => ok());
    zip.on('error', (err) => fail(new ZipRejected('not-a-zip', err.message)));
    zip.readEntry();
  });

  // Symlinks last, and only to places inside the package.
  for (const link of links) {
    const resolved = resolve(dirname(link.path), link.target);
    const rel = relative(root, resolved);
    if (isAbsolute(link.target) || rel === '..' || rel.startsWith(`..${sep}`)) {
      throw new ZipRejected('unsafe-path', `Zip symlink points outside the package: ${relative(root, link.path)} -> ${link.target}`);
    }
    await symlink(link.target, link.path);
  }
}

