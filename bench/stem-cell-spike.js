// Spike for decision 0009 (stem cells), not the implementation: how long binding a pre-started
// sandbox takes. A cell is a bwrap sandbox (own pid/net/ipc/uts namespaces, own uid, no
// capabilities) with an empty per-cell directory read-only at /var/task and another at
// /run/nimbus, running a Node.js shim blocked on stdin. Binding = copy the code into the task
// directory, hard-link the environment's endpoint socket into the run directory, write the
// function's variables to stdin. Measured: bind start → the shim has set process.env, required
// the handler from /var/task and connected to the endpoint through the linked socket.
//
// Usage (as root, with bubblewrap and setpriv): node bench/stem-cell-spike.js [--cells 20]
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { cells: { type: 'string' } } });
const N = Number(args.cells ?? 20);
const root = mkdtempSync(join(tmpdir(), 'nimbus-spike-'));
chmodSync(root, 0o755);
const shimDir = join(root, 'shim');
const codeDir = join(root, 'code');
mkdirSync(shimDir, { mode: 0o755 });
mkdirSync(codeDir, { mode: 0o755 });
writeFileSync(join(codeDir, 'index.js'), 'exports.handler = () => "hi";');
writeFileSync(
  join(shimDir, 'stem.mjs'),
  `import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
const msg = JSON.parse(readFileSync(0, 'utf8'));
for (const k of Object.keys(process.env)) delete process.env[k];
Object.assign(process.env, msg.env);
process.chdir('/var/task');
createRequire(import.meta.url)('module').Module._initPaths();
const handler = createRequire('/var/task/')('./index.js').handler;
const s = net.connect('/run/nimbus/runtime-api.sock', () => s.end(JSON.stringify({ fn: process.env.AWS_LAMBDA_FUNCTION_NAME, r: handler() })));
`,
);

function startCell(i) {
  const dir = mkdtempSync(join(root, 'cell-'));
  mkdirSync(join(dir, 'task'), { mode: 0o755 });
  mkdirSync(join(dir, 'run'), { mode: 0o755 });
  const uid = String(210_000 + i);
  const bwrap = [
    '--perms', '0755', '--dir', '/var', '--perms', '0755', '--dir', '/run', '--perms', '0755', '--dir', '/run/nimbus',
    '--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64',
    '--proc', '/proc', '--dev', '/dev', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session',
    '--ro-bind', join(dir, 'task'), '/var/task', '--bind', join(dir, 'run'), '/run/nimbus', '--ro-bind', shimDir, '/var/runtime', '--tmpfs', '/tmp', '--chdir', '/',
    '/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--',
    process.execPath, '/var/runtime/stem.mjs',
  ];
  const child = spawn('bwrap', bwrap, { stdio: ['pipe', 'inherit', 'inherit'], env: { PATH: '/usr/bin:/bin' } });
  return { dir, child };
}

const times = [];
try {
  for (let i = 0; i < N; i++) {
    const cell = startCell(i);
    const socket = join(root, `endpoint-${i}.sock`);
    let t0 = 0;
    const answered = new Promise((ok) => {
      const server = net.createServer((s) => {
        let body = '';
        s.on('data', (d) => (body += d));
        s.on('end', () => {
          ok([performance.now() - t0, body]);
          server.close();
        });
      });
      server.listen(socket, () => chmodSync(socket, 0o666));
    });
    // Give the cell time to come up and block on stdin, as a pooled cell would have.
    await new Promise((ok) => setTimeout(ok, 400));
    t0 = performance.now();
    cpSync(codeDir, join(cell.dir, 'task'), { recursive: true, verbatimSymlinks: true });
    linkSync(socket, join(cell.dir, 'run', 'runtime-api.sock'));
    cell.child.stdin.end(JSON.stringify({ env: { AWS_LAMBDA_FUNCTION_NAME: `fn-${i}`, NODE_PATH: '/var/task/node_modules:/var/task' } }));
    const [ms, body] = await answered;
    if (JSON.parse(body).fn !== `fn-${i}`) throw new Error(`wrong answer: ${body}`);
    times.push(ms);
    await new Promise((ok) => cell.child.once('exit', ok));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
console.log(`${N} binds: bind → handler loaded and endpoint reached, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, min ${times[0].toFixed(2)} ms`);
