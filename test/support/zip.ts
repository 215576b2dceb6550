/** Builds zips in memory for tests, with unix modes and symlinks when asked. */
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  content?: string | Buffer;
  mode?: number;
  symlinkTo?: string;
}

export function makeZip(entries: ZipEntry[] | Record<string, string>): Promise<Buffer> {
  const list: ZipEntry[] = Array.isArray(entries)
    ? entries
    : Object.entries(entries).map(([name, content]) => ({ name, content }));
  const zip = new yazl.ZipFile();
  for (const e of list) {
    if (e.symlinkTo !== undefined) {
      zip.addBuffer(Buffer.from(e.symlinkTo), e.name, { mode: 0o120777 });
    } else {
      const data = Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content ?? '');
      zip.addBuffer(data, e.name, { mode: 0o100000 | (e.mode ?? 0o644) });
    }
  }
  zip.end();
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => ok(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}
