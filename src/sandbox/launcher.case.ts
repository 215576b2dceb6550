/**
 * The behaviour every Launcher must have; each implementation runs this suite against real
 * processes (see process-launcher.integration.test.ts). A sandboxing launcher adds its own
 * isolation tests on top.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, within } from '../../test/support/wait.js';
import type { Launcher } from './launcher.js';

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

/** Runs the launcher behaviour suite against `make()`. */
export function launcherSuite(name: string, make: () => Launcher): void {
  describe(`${name} (launcher behaviour)`, () => {
    const launcher = make();
    const node = process.execPath;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nimbus-launcher-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('gives the process exactly the environment and directory it is told, nothing inherited', async () => {
      const env = { ONLY: 'this', LANG: 'en_US.UTF-8' };
      const p = launcher.launch({ argv: [node, '-e', 'console.log(JSON.stringify({env: process.env, cwd: process.cwd()}))'], env, cwd: dir });
      const out = JSON.parse(await within(readAll(p.stdout), 10_000, 'output')) as { env: Record<string, string>; cwd: string };
      expect(out.env).toEqual(env);
      expect(out.cwd).toBe(dir);
      expect(await p.exited).toEqual({ code: 0, signal: null });
    });

    it('reports the exit code and separates stdout from stderr', async () => {
      const p = launcher.launch({ argv: [node, '-e', 'console.log("out"); console.error("err"); process.exit(3)'], env: {}, cwd: dir });
      const [out, err, exit] = await within(Promise.all([readAll(p.stdout), readAll(p.stderr), p.exited]), 10_000, 'exit');
      expect(out).toBe('out\n');
      expect(err).toBe('err\n');
      expect(exit).toEqual({ code: 3, signal: null });
    });

    it('kills the whole process tree', async () => {
      const p = launcher.launch({ argv: ['/bin/bash', '-c', 'sleep 1000 & echo $!; wait'], env: {}, cwd: dir });
      const child = Number(await within(firstLine(p.stdout), 10_000, 'child pid'));
      expect(child).toBeGreaterThan(0);
      p.kill();
      expect(await within(p.exited, 10_000, 'exit')).toEqual({ code: null, signal: 'SIGKILL' });
      await until(() => isGone(child), 5000, `grandchild ${child} to die`);
      p.kill(); // after exit: harmless
    });

    it('reads peak memory of a running process', async () => {
      const p = launcher.launch({ argv: [node, '-e', 'console.log("up"); setInterval(() => {}, 1000)'], env: {}, cwd: dir });
      await within(firstLine(p.stdout), 10_000, 'start');
      if (p.memoryPeakMb) expect(p.memoryPeakMb()).toBeGreaterThan(1);
      p.kill();
      await p.exited;
    });

    it('reports an executable that does not exist or cannot run, without throwing', async () => {
      const missing = launcher.launch({ argv: [join(dir, 'nope')], env: {}, cwd: dir });
      expect(await within(missing.exited, 10_000, 'ENOENT')).toMatchObject({ code: null, signal: null, error: 'ENOENT' });
      const file = join(dir, 'not-executable');
      await writeFile(file, '#!/bin/sh\necho hi\n');
      await chmod(file, 0o644);
      const denied = launcher.launch({ argv: [file], env: {}, cwd: dir });
      expect(await within(denied.exited, 10_000, 'EACCES')).toMatchObject({ error: 'EACCES' });
      denied.kill();
    });
  });
}
