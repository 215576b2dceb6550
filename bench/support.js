// Benchmark helpers: start the built server as a real process, build zips.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'nimbus.js');

export async function startNimbus(dataDir, credentials, extraArgs = []) {
  const child = spawn(process.execPath, [CLI, 'server', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    env: { ...process.env, NIMBUS_ACCESS_KEY_ID: credentials.accessKeyId, NIMBUS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise((ok, fail) => {
    let buf = '';
    child.stderr.on('data', (c) => {
      buf += c;
      const m = /"msg":"nimbus listening".*?"url":"([^"]+)"/.exec(buf);
      if (m) ok(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`server exited ${code}: ${buf}`)));
  });
  child.stderr.resume();
  const exited = new Promise((r) => child.once('exit', r));
  return { url, stop: async () => (child.kill('SIGTERM'), exited) };
}

export function zipOf(files) {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name, { mode: 0o100644 });
  zip.end();
  return new Promise((ok, fail) => {
    const chunks = [];
    zip.outputStream.on('data', (c) => chunks.push(c));
    zip.outputStream.on('end', () => ok(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}
