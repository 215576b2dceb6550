/** Zips a folder for deployment, keeping file modes (a `bootstrap` must stay executable). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yazl from 'yazl';

const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');
const SKIP = new Set(['.git', '.DS_Store']);

export function zipDirectory(root: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIP.has(name)) continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) {
        zip.addBuffer(readFileSync(path), relative(root, path).split(sep).join('/'), {
          mode: stat.mode,
          // A fixed time makes the same tree give the same zip, so CodeSha256 says whether code changed.
          mtime: FIXED_MTIME,
        });
      }
    }
  };
  walk(root);
  zip.end();
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => ok(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}
