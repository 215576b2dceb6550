/**
 * The behaviour every Launcher must have; each implementation runs this suite against real
 * processes (see process-launcher.integration.test.ts). A sandboxing launcher adds its own
 * isolation tests on top.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, within } from '../../test/support/wait.js';
import { TEST_HOST } from '../../test/support/sandbox/function-spec.js';
import type { EnvironmentMounts, EnvironmentView } from './environment-view.js';
import type { LaunchedProcess, Launcher } from './launcher.js';
import { limitsOf } from './resource-limits.js';

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (out += c));
    stream.on('close', () => resolve(out));
  });
}

function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
  });
}

/** Dead, or a zombie waiting to be reaped: it runs no more. */
async function isGone(pid: number): Promise<boolean> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return /^State:\s+Z/m.test(status);
  } catch {
    return true;
  }
}

/**
 * The host pid of `inner`, a process the launched tree reports by its own pid in PID namespace
 * `ns`: the same number without a namespace of its own, else found by its NSpid line.
 */
async function hostPidOf(ns: string, inner: number): Promise<number> {
  const { readdir, readlink } = await import('node:fs/promises');
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    if ((await readlink(`/proc/${pid}/ns/pid`).catch(() => '')) !== ns) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
    if (nspid[nspid.length - 1] === inner) return pid;
  }
  return -1;
}

/** Runs the launcher behaviour suite against `make()`. */
export function launcherSuite(name: string, make: () => Launcher): void {
  describe(`${name} (launcher behaviour)`, () => {
    const launcher = make();
    const node = process.execPath;
    /** Holds `code/` (the function's code) and the Runtime API socket. */
    let dir: string;
    let code: string;
    let endpoint: string;
    let server: Server;
    let mounts: EnvironmentMounts;
    let view: EnvironmentView;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nimbus-launcher-'));
      code = join(dir, 'code');
      await mkdir(code);
      // A listening socket stands in for the Runtime API, which a sandbox mounts.
      endpoint = join(dir, 'rapi.sock');
      server = createServer((s) => s.destroy());
      await new Promise<void>((ok) => server.listen(endpoint, ok));
      mounts = { codeDir: code, layerDirs: [], runtimeDir: code };
      view = launcher.view(mounts, TEST_HOST, endpoint);
    });
    afterAll(async () => {
      await new Promise((ok) => server.close(ok));
      await rm(dir, { recursive: true, force: true });
    });

    /** Starts `argv` in the code directory, as an environment would. */
    const start = (argv: string[], env: Record<string, string> = {}): LaunchedProcess =>
      launcher.launch({ argv, env, cwd: view.taskRoot, mounts, limits: limitsOf({ memorySize: 256, ephemeralStorage: 512 }), endpoint });

    it('gives the process exactly the environment and directory it is told, nothing inherited', async () => {
      const env = { ONLY: 'this', LANG: 'en_US.UTF-8' };
      const p = start([node, '-e', 'console.log(JSON.stringify({env: process.env, cwd: process.cwd()}))'], env);
      const out = JSON.parse(await within(readAll(p.stdout), 10_000, 'output')) as { env: Record<string, string>; cwd: string };
      expect(out.env).toEqual(env);
      expect(out.cwd).toBe(view.taskRoot);
      expect(await p.exited).toEqual({ code: 0, signal: null });
    });

    it('reports the exit code and separates stdout from stderr', async () => {
      const p = start([node, '-e', 'console.log("out"); console.error("err"); process.exit(3)']);
      const [out, err, exit] = await within(Promise.all([readAll(p.stdout), readAll(p.stderr), p.exited]), 10_000, 'exit');
      expect(out).toBe('out\n');
      expect(err).toBe('err\n');
      expect(exit).toEqual({ code: 3, signal: null });
    });

    it('kills the whole process tree', async () => {
      // The grandchild reports its pid as the host sees it (it may live in a PID namespace).
      const p = start(['/bin/bash', '-c', 'sleep 1000 & echo $(readlink /proc/$$/ns/pid) $!; wait']);
      const [ns, inner] = (await within(firstLine(p.stdout), 10_000, 'child pid')).split(' ');
      const child = await hostPidOf(ns!, Number(inner));
      expect(child).toBeGreaterThan(0);
      p.kill();
      expect(await within(p.exited, 10_000, 'exit')).toEqual({ code: null, signal: 'SIGKILL' });
      await until(() => isGone(child), 5000, `grandchild ${child} to die`);
      p.kill(); // after exit: harmless
    });

    it('reads peak memory of a running process', async () => {
      const p = start([node, '-e', 'console.log("up"); setInterval(() => {}, 1000)']);
      await within(firstLine(p.stdout), 10_000, 'start');
      if (p.memoryPeakMb) expect(p.memoryPeakMb()).toBeGreaterThan(1);
      p.kill();
      await p.exited;
    });

    it('reports an executable that does not exist or cannot run, without throwing', async () => {
      const missing = start([join(view.taskRoot, 'nope')]);
      expect(await within(missing.exited, 10_000, 'ENOENT')).toMatchObject({ code: null, signal: null, error: 'ENOENT' });
      const file = join(code, 'not-executable');
      await writeFile(file, '#!/bin/sh\necho hi\n');
      await chmod(file, 0o644);
      const denied = start([join(view.taskRoot, 'not-executable')]);
      expect(await within(denied.exited, 10_000, 'EACCES')).toMatchObject({ error: 'EACCES' });
      denied.kill();
    });
  });
}
