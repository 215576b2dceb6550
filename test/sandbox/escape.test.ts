/**
 * Hostile functions against a real server with real sandboxes, through the real SDK. Each case
 * asserts that the attempt fails and that the platform keeps serving, and says what Lambda
 * itself would do. Skipped, with the reason, on a host that cannot sandbox.
 */
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_HOST } from '../support/function-spec.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/nimbus.js';
import { makeZip } from '../support/zip.js';
import { sandboxSupport } from '../../src/sandbox/bwrap/sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);

/** A function that does what the event says and reports what happened, errors as values. */
const PROBE = `
const fs = require('fs');
const net = require('net');
const cp = require('child_process');
const attempt = (fn) => { try { return { ok: true, value: fn() } } catch (e) { return { ok: false, code: e.code ?? e.status ?? String(e) } } };
const connect = (port, host) => new Promise((resolve) => {
  const s = net.connect(port, host, () => { s.destroy(); resolve({ ok: true }); });
  s.on('error', (e) => resolve({ ok: false, code: e.code }));
});
exports.handler = async (e) => {
  switch (e.op) {
    case 'ping': return 'pong';
    case 'read': return attempt(() => fs.readFileSync(e.path, 'utf8').slice(0, 100));
    case 'list': return attempt(() => fs.readdirSync(e.path));
    case 'write': return attempt(() => fs.writeFileSync(e.path, 'x'));
    case 'kill': return attempt(() => process.kill(e.pid, 0));
    case 'sh': return attempt(() => cp.execFileSync('/bin/sh', ['-c', e.cmd], { stdio: 'pipe' }).toString());
    case 'connect': return connect(e.port, e.host);
    case 'rapi': {
      const r = await fetch('http://' + process.env.AWS_LAMBDA_RUNTIME_API + e.path, { method: e.method ?? 'GET', body: e.body });
      return { status: r.status, body: await r.text() };
    }
    case 'fork': {
      // Start sleepers until the kernel refuses (the shell then stops); report how many ran.
      const r = attempt(() => cp.execFileSync('/bin/sh', ['-c', 'i=0; while [ $i -lt 1500 ]; do sleep 60 </dev/null >/dev/null 2>&1 & i=$((i+1)); echo $i > /tmp/forks; done'], { stdio: 'pipe' }));
      return { refused: !r.ok, started: Number(fs.readFileSync('/tmp/forks', 'utf8')) };
    }
    case 'alloc': { const chunks = []; for (let i = 0; i < e.mb; i++) chunks.push(Buffer.alloc(1024 * 1024, 1)); return chunks.length; }
    case 'fill': return attempt(() => { const mb = Buffer.alloc(1024 * 1024, 1); const fd = fs.openSync('/tmp/fill', 'w'); try { for (let i = 0; i < e.mb; i++) fs.writeSync(fd, mb); } finally { fs.closeSync(fd); } return fs.statSync('/tmp/fill').size; });
  }
};`;

let nimbus: NimbusProcess;
let victimCodeDir: string;
let hostServer: Server;
let hostPort: number;

async function deploy(name: string, extra: Record<string, unknown> = {}, code = PROBE) {
  await nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 10, Code: { ZipFile: await makeZip({ 'index.js': code }) }, ...extra }),
  );
}

async function invoke(name: string, event: unknown) {
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return { error: out.FunctionError, json: text ? JSON.parse(text) : undefined };
}

/** The platform still serves a normal function after the attempt. */
async function stillServes() {
  expect((await invoke('bystander', { op: 'ping' })).json).toBe('pong');
}

describe.skipIf(!support.launcher)(`sandbox escapes (${support.reason ?? 'bubblewrap'})`, () => {
  beforeAll(async () => {
    nimbus = await startNimbus();
    await deploy('probe');
    await deploy('bystander');
    await deploy('victim', {}, PROBE + '\n// victim secret 42\n');
    const sha = (await nimbus.lambda.send(new GetFunctionCommand({ FunctionName: 'victim' }))).Configuration!.CodeSha256!;
    victimCodeDir = join(nimbus.dataDir, 'code', Buffer.from(sha, 'base64').toString('hex'));
    hostServer = createServer((_req, res) => res.end('host'));
    await new Promise<void>((ok) => hostServer.listen(0, '127.0.0.1', () => ok()));
    hostPort = (hostServer.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    hostServer?.close();
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
  });

  // Lambda: each function's code is only in its own microVM; other functions' packages do not exist there.
  it("cannot read another function's code, by its host path or any other", async () => {
    const byHostPath = await invoke('probe', { op: 'read', path: join(victimCodeDir, 'index.js') });
    expect(byHostPath.json).toEqual({ ok: false, code: 'ENOENT' });
    const own = await invoke('probe', { op: 'list', path: '/var/task' });
    expect(own.json).toEqual({ ok: true, value: ['index.js'] });
    const root = await invoke('probe', { op: 'list', path: '/' });
    expect(root.json.value).not.toContain('work');
    expect(root.json.value).not.toContain('home');
    await stillServes();
  });

  // Lambda: the control plane's state is not in the execution environment at all.
  it('cannot read the data directory, the SQLite file or the credentials', async () => {
    for (const path of [join(nimbus.dataDir, 'nimbus.db'), join(nimbus.dataDir, 'credentials.json')]) {
      expect((await invoke('probe', { op: 'read', path })).json).toEqual({ ok: false, code: 'ENOENT' });
    }
    expect((await invoke('probe', { op: 'list', path: nimbus.dataDir })).json).toEqual({ ok: false, code: 'ENOENT' });
    await stillServes();
  });

  // Lambda: /var/task is read-only (EROFS); only /tmp is writable.
  it('cannot write to /var/task', async () => {
    expect((await invoke('probe', { op: 'write', path: '/var/task/index.js' })).json).toEqual({ ok: false, code: 'EROFS' });
    expect((await invoke('probe', { op: 'write', path: '/var/task/new.js' })).json).toEqual({ ok: false, code: 'EROFS' });
    expect((await invoke('probe', { op: 'write', path: '/tmp/fine' })).json).toMatchObject({ ok: true });
    await stillServes();
  });

  // Lambda: the microVM shows only the function's own processes; the host's are not there to signal.
  it("cannot see or signal the server's processes", async () => {
    expect((await invoke('probe', { op: 'kill', pid: nimbus.process.pid! })).json).toEqual({ ok: false, code: 'ESRCH' });
    const procs = (await invoke('probe', { op: 'list', path: '/proc' })).json.value.filter((n: string) => /^\d+$/.test(n));
    expect(procs.length).toBeLessThan(10);
    await stillServes();
  });

  // Lambda: /tmp belongs to one execution environment; others, even of the same function, have their own.
  it("cannot read another environment's /tmp", async () => {
    expect((await invoke('victim', { op: 'sh', cmd: 'echo secret > /tmp/victim-secret && ls /tmp' })).json).toMatchObject({ ok: true });
    const seen = await invoke('probe', { op: 'list', path: '/tmp' });
    expect(seen.json.value).not.toContain('victim-secret');
    await stillServes();
  });

  // Lambda: the Runtime API at AWS_LAMBDA_RUNTIME_API is the environment's own; nothing else is reachable.
  it("cannot reach the host's loopback or another environment's Runtime API", async () => {
    expect((await invoke('probe', { op: 'connect', port: hostPort, host: '127.0.0.1' })).json).toEqual({ ok: false, code: 'ECONNREFUSED' });
    // Only its own endpoint is mounted; the other environments' sockets are not in its world.
    expect((await invoke('probe', { op: 'list', path: '/run/nimbus' })).json.value.sort()).toEqual(['api.sock', 'runtime-api.sock']);
    // Its own endpoint refuses answers for invocations it was not given.
    const forged = await invoke('probe', { op: 'rapi', method: 'POST', path: '/2018-06-01/runtime/invocation/00000000-0000-0000-0000-000000000000/response', body: '"forged"' });
    expect(forged.json.status).toBe(400);
    await stillServes();
  });

  // Lambda: 1,024 processes/threads per environment; beyond that fork fails with EAGAIN.
  it('contains a fork bomb', async () => {
    // Enough memory that the pids limit, not the memory limit, is what stops it.
    await deploy('bomber', { MemorySize: 2048 });
    const out = await invoke('bomber', { op: 'fork' });
    expect(out.json, JSON.stringify(out)).toMatchObject({ refused: true });
    expect(out.json.started).toBeLessThan(1024);
    await stillServes();
  }, 60_000);

  // Lambda: exceeding MemorySize kills the runtime; the invoke fails with Runtime.OutOfMemory.
  it('stops a function that allocates past MemorySize with Runtime.OutOfMemory', async () => {
    await deploy('hog', { MemorySize: 128 });
    const out = await invoke('hog', { op: 'alloc', mb: 400 });
    expect(out.error).toBe('Unhandled');
    expect(out.json.errorType).toBe('Runtime.OutOfMemory');
    expect(out.json.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
    expect((await invoke('hog', { op: 'ping' })).json).toBe('pong');
    await stillServes();
  }, 30_000);

  // Lambda: /tmp holds EphemeralStorage MB; a write past it fails with ENOSPC inside the function.
  it('fails a write past EphemeralStorage inside the function', async () => {
    await deploy('filler', { MemorySize: 1024, EphemeralStorage: { Size: 512 } });
    const out = await invoke('filler', { op: 'fill', mb: 600 });
    expect(out.json).toEqual({ ok: false, code: 'ENOSPC' });
    await stillServes();
  }, 30_000);

  // Lambda: no capabilities; mount(2) fails.
  it('cannot mount anything', async () => {
    const out = await invoke('probe', { op: 'sh', cmd: 'mount -t tmpfs none /tmp 2>&1' });
    expect(out.json.ok).toBe(false);
    await stillServes();
  });
});
