/**
 * Hostile functions against a real server with real sandboxes, through the real SDK. Each case
 * asserts that the attempt fails and that the platform keeps serving, and says what Lambda
 * itself would do. On a host that cannot sandbox: fails on CI, skipped elsewhere, with the
 * reason (security-suite.ts).
 */
import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_HOST } from '../support/sandbox/function-spec.js';
import { securitySuite, securityTest } from '../support/security-suite.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';
import { sandboxSupport } from '../../src/sandbox/bwrap/sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);
/** Why this host does not put /tmp on disk (decision 11), as the server's own probe finds; undefined: it does. */
const noDiskTmp = (() => {
  if (!support.launcher) return support.reason;
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-disk-probe-'));
  try {
    const tmp = sandboxSupport(TEST_HOST, { diskTmpDir: dir }).enforced.tmp ?? 'no /tmp reported';
    return /^ext4/.test(tmp) ? undefined : `/tmp here is ${tmp}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

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
    // A child writes straight into the runtime's stdout pipe with blocking writes of 1 MB lines
    // (Node's own process.stdout would queue them in the function's memory instead).
    case 'flood': cp.execFileSync('/usr/bin/python3', ['-c', 'import sys\\nw = sys.stdout.buffer.write\\nline = b"x" * 1048575 + b"\\\\n"\\nfor _ in range(' + e.mb + '): w(line)'], { stdio: ['ignore', 'inherit', 'inherit'] }); return e.mb;
    case 'alloc': { const chunks = []; for (let i = 0; i < e.mb; i++) chunks.push(Buffer.alloc(1024 * 1024, 1)); return chunks.length; }
    case 'fill': return attempt(() => { const mb = Buffer.alloc(1024 * 1024, 1); const fd = fs.openSync('/tmp/fill', 'w'); try { for (let i = 0; i < e.mb; i++) fs.writeSync(fd, mb); } finally { fs.closeSync(fd); } return fs.statSync('/tmp/fill').size; });
  }
};`;

/** PTRACE_ATTACH to argv[1], then reads a byte of its memory; prints what happened, as JSON. */
const PTRACE = [
  'import ctypes, errno, json, sys',
  'libc = ctypes.CDLL(None, use_errno=True)',
  'pid = int(sys.argv[1])',
  'r = libc.ptrace(16, pid, None, None)',
  'e = errno.errorcode.get(ctypes.get_errno(), 0)',
  'try:',
  '  open("/proc/%d/mem" % pid, "rb").read(1); m = "read"',
  'except OSError as x:',
  '  m = errno.errorcode[x.errno]',
  'print(json.dumps({"ptrace": r, "errno": e, "mem": m}))',
].join('\n');

/** Renames a zip entry in place, local header and central directory (names of equal length). */
function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(zip);
  const a = Buffer.from(from);
  for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + 1)) out.write(to, at);
  return out;
}

/**
 * A zip of `n` empty stored files, written directly (yazl takes minutes for 100,000 entries);
 * ZIP64 end records, since the classic ones count only 65,535 entries.
 */
function emptyEntriesZip(n: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const name = Buffer.from(`f/${i}`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name);
    centrals.push(central, name);
    offset += 30 + name.length;
  }
  const cd = Buffer.concat(centrals);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(n), 24);
  zip64End.writeBigUInt64LE(BigInt(n), 32);
  zip64End.writeBigUInt64LE(BigInt(cd.length), 40);
  zip64End.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, zip64End, locator, end]);
}

/**
 * Host pid of the Node.js runtime of the environment whose /tmp holds `marker` (the test runs as
 * root and can look through /proc/<pid>/root). Not by /proc/<pid>/environ: an environment bound
 * from a stem cell started with none of its function's variables there.
 */
function hostPidOf(marker: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (existsSync(`/proc/${entry}/root/tmp/${marker}`) && readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'node') return Number(entry);
    } catch {
      // gone, or a kernel thread
    }
  }
  return -1;
}

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

/** Every event of a log group, all pages. */
async function allEvents(logGroupName: string): Promise<FilteredLogEvent[]> {
  const out: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await nimbus.logsClient.send(new FilterLogEventsCommand({ logGroupName, nextToken }));
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** The server's resident memory, MB. */
function serverRssMb(): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${nimbus.process.pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** The platform still serves a normal function after the attempt. */
async function stillServes() {
  expect((await invoke('bystander', { op: 'ping' })).json).toBe('pong');
}

securitySuite('sandbox escapes', support.reason, () => {
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

  // Lambda: /tmp is ephemeral storage, not memory: a 128 MB function may keep 400 MB there.
  // Nimbus (as root, with loop devices): an ext4 image on disk, so the write is not an OOM kill.
  securityTest('keeps /tmp out of the memory limit, as ephemeral storage', noDiskTmp, async () => {
    await deploy('tmp-heavy', { MemorySize: 128, EphemeralStorage: { Size: 1024 }, Timeout: 30 });
    const out = await invoke('tmp-heavy', { op: 'fill', mb: 400 });
    expect(out.error, JSON.stringify(out.json)).toBeUndefined();
    expect(out.json).toEqual({ ok: true, value: 400 * 1024 * 1024 });
    await stillServes();
  }, 60_000);

  // Lambda: each execution environment is its own Firecracker microVM; another environment's
  // processes are not there to attach to or read. Here: its own PID namespace and uid.
  it("cannot ptrace or read the memory of another environment's process", async () => {
    expect((await invoke('victim', { op: 'write', path: '/tmp/victim-marker' })).json.ok).toBe(true);
    const victimPid = hostPidOf('victim-marker');
    expect(victimPid).toBeGreaterThan(0);
    const attach = async (pid: number) => {
      const out = await invoke('probe', { op: 'sh', cmd: `/usr/bin/python3 -c '${PTRACE}' ${pid}` });
      expect(out.json.ok, JSON.stringify(out.json)).toBe(true);
      return JSON.parse(out.json.value);
    };
    // The sibling's host pid does not exist in the probe's PID namespace.
    expect(await attach(victimPid)).toEqual({ ptrace: -1, errno: 'ESRCH', mem: 'ENOENT' });
    // What it can see is its own sandbox: pid 1 is the sandbox's init, not its uid: refused.
    expect(await attach(1)).toMatchObject({ ptrace: -1, errno: 'EPERM' });
    await stillServes();
  });

  // Lambda: output goes to CloudWatch Logs with no documented per-invocation cap; what its
  // buffers cannot take is dropped (the Telemetry API reports it as platform.logsDropped).
  // Nimbus keeps 5 MB per invocation, drops the rest and says so in one LOGS line before END.
  it('caps a 1 GB log flood: the invoke returns, others are served, the stored log is bounded', async () => {
    await deploy('flooder', { Timeout: 120 });
    const rssBefore = serverRssMb();
    const flood = invoke('flooder', { op: 'flood', mb: 1024 });
    // Served while the flood runs.
    await stillServes();
    expect((await flood).json).toBe(1024);
    await stillServes();
    const events = await poll(async () => {
      const all = await allEvents('/aws/lambda/flooder');
      return all.some((e) => e.message?.startsWith('REPORT')) && all;
    }, 10_000, "the flooder's REPORT line");
    const stored = events.reduce((n, e) => n + (e.message?.length ?? 0), 0);
    expect(stored).toBeLessThan(6 * 1024 * 1024);
    const dropped = events.find((e) => e.message?.startsWith('LOGS RequestId:'))?.message;
    expect(dropped).toMatch(/\tDropped: \d+ lines\tDropped Size: 10(1\d|2[0-4])\.\d\d MB\tReason: over the limit of 5\.00 MB of log output per invocation$/);
    // The server read 1 GB and kept none of it.
    expect(serverRssMb() - rssBefore).toBeLessThan(200);
  }, 180_000);

  // Bad packages, through the real API: each fails with the AWS error or works safely, and
  // nothing is written outside the package's own directory.
  describe('bad deployment packages', () => {
    const create = async (name: string, zip: Buffer, extra: Record<string, unknown> = {}) =>
      nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, ...extra }));
    const refused = { name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } };

    // Lambda: a symlink in the package resolves inside the microVM, to the VM's own files.
    // Nimbus refuses one that leaves the package at upload, so it can never point at the host.
    it('refuses symlinks that point outside /var/task', async () => {
      for (const symlinkTo of ['/etc/passwd', '../../../../nimbus.db']) {
        const zip = await makeZip([{ name: 'index.js', content: PROBE }, { name: 'link', symlinkTo }]);
        await expect(create('bad-link', zip)).rejects.toMatchObject(refused);
      }
      // A link inside the package is fine.
      const zip = await makeZip([{ name: 'index.js', content: PROBE }, { name: 'again.js', symlinkTo: 'index.js' }]);
      await create('good-link', zip);
      expect((await invoke('good-link', { op: 'read', path: '/var/task/again.js' })).json.ok).toBe(true);
      await stillServes();
    });

    // Lambda: entries are extracted under /var/task of the microVM only; an escaping name
    // cannot reach anything. Nimbus refuses absolute and `..` names at upload (yazl refuses to
    // write them, so the names are patched into a valid zip).
    it('refuses absolute paths and .. entries, writing nothing outside the package', async () => {
      const absolute = `/tmp/nimbus-evil-${process.pid}.js`;
      const dotdot = '../../escaped-evil.js';
      for (const name of [absolute, dotdot]) {
        const placeholder = 'Z'.repeat(name.length);
        const zip = renameEntry(await makeZip({ 'index.js': PROBE, [placeholder]: 'pwned' }), placeholder, name);
        await expect(create('bad-path', zip)).rejects.toMatchObject(refused);
      }
      expect(existsSync(absolute)).toBe(false);
      expect(existsSync(join(nimbus.dataDir, 'escaped-evil.js'))).toBe(false);
      expect(readdirSync(join(nimbus.dataDir, 'code')).filter((n) => n.startsWith('.staging'))).toEqual([]);
      await stillServes();
    });

    // Lambda: `Runtime.InvalidEntrypoint`, "fork/exec /var/task/bootstrap: permission denied".
    it('answers a non-executable bootstrap with Runtime.InvalidEntrypoint', async () => {
      const zip = await makeZip([{ name: 'bootstrap', content: '#!/bin/sh\nexit 0\n', mode: 0o644 }]);
      await create('not-exec', zip, { Runtime: 'provided.al2023', Handler: 'x' });
      const out = await invoke('not-exec', {});
      expect(out.error).toBe('Unhandled');
      expect(out.json).toEqual({
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: fork\/exec \/var\/task\/bootstrap: permission denied$/),
      });
      await stillServes();
    });

    // Lambda: no entry-count limit of its own, but 250 MB unzipped. Nimbus caps a package at
    // 100,000 entries (the code store's limit) before extracting anything.
    it('refuses a package with more entries than the code store allows', async () => {
      await expect(create('too-many', emptyEntriesZip(100_001))).rejects.toMatchObject({
        ...refused,
        message: 'Could not unzip uploaded file: Zip has more than 100000 entries',
      });
      await stillServes();
    }, 60_000);
  });

  // Lambda: no capabilities; mount(2) fails.
  it('cannot mount anything', async () => {
    const out = await invoke('probe', { op: 'sh', cmd: 'mount -t tmpfs none /tmp 2>&1' });
    expect(out.json.ok).toBe(false);
    await stillServes();
  });
});
