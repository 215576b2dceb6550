/** The server as an operator runs it: restart on the same data dir, SIGTERM drain, generated credentials. */
import { CreateFunctionCommand, GetAccountSettingsCommand, GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, CREDENTIALS, removeDataDir, ROLE, startNimbus } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

describe('server lifecycle', () => {
  it('keeps functions and their logs across a restart on the same data dir', async () => {
    const first = await startNimbus();
    const zip = await makeZip({ 'index.js': "exports.handler = async () => { console.log('persisted line'); return 'v1'; };" });
    await first.lambda.send(new CreateFunctionCommand({ FunctionName: 'kept', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } }));
    await first.lambda.send(new InvokeCommand({ FunctionName: 'kept' }));
    expect(await first.stop()).toBe(0);

    const second = await startNimbus({ dataDir: first.dataDir });
    try {
      // Sandboxed (the default): nothing to warn about.
      expect(await (await fetch(`${second.url}/_nimbus/health`)).json()).toEqual({ status: 'ok', isolated: true });
      const got = await second.lambda.send(new GetFunctionCommand({ FunctionName: 'kept' }));
      expect(got.Configuration?.Runtime).toBe('nodejs20.x');
      const out = await second.lambda.send(new InvokeCommand({ FunctionName: 'kept' }));
      expect(Buffer.from(out.Payload!).toString()).toBe('"v1"');
      const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const logs = await second.logsClient.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/kept', filterPattern: '"persisted line"' }));
      expect(logs.events!.length).toBe(2);
    } finally {
      await second.stop();
      removeDataDir(first.dataDir);
    }
  });

  it('says functions are not isolated under --sandbox none: at start, in GetAccountSettings, health and the nimbus CLI', async () => {
    const nimbus = await startNimbus({ args: ['--sandbox', 'none'] });
    try {
      // Logged right after the listening line.
      await poll(async () => nimbus.logs.some((l) => l.level === 'warn' && /NOT isolated/.test(l.msg)), 5_000, 'the start-up warning');
      let warning: string | undefined;
      nimbus.lambda.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          warning = (out.response as { headers: Record<string, string> }).headers.warning;
          return out;
        },
        { step: 'deserialize', name: 'captureWarning' },
      );
      const settings = await nimbus.lambda.send(new GetAccountSettingsCommand({}));
      expect(settings.AccountLimit?.ConcurrentExecutions).toBe(1000);
      expect(warning).toMatch(/^199 nimbus "functions run as plain processes of this server: they are NOT isolated/);
      expect(await (await fetch(`${nimbus.url}/_nimbus/health`)).json()).toMatchObject({ status: 'ok', isolated: false });
      const cli = await promisify(execFile)(process.execPath, [CLI, 'functions', 'list'], {
        env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: nimbus.url, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey },
      });
      expect(cli.stderr).toMatch(/^warning: functions run as plain processes of this server: they are NOT isolated/);
    } finally {
      await nimbus.stop();
      removeDataDir(nimbus.dataDir);
    }
  });

  it('drains an in-flight invoke on SIGTERM, then exits 0', async () => {
    // Unsandboxed: the function signals a probe server on the host's loopback, which a
    // sandbox (its own network namespace) cannot reach. Draining does not depend on the launcher.
    const nimbus = await startNimbus({ args: ['--sandbox', 'none'] });
    try {
      // The function tells us when it is running, so the test stops the server mid-invoke without guessing.
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const probe = createServer((_req, res) => {
        res.end();
        started();
      });
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
      const probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
      const zip = await makeZip({
        'index.js': `exports.handler = async () => { await fetch('${probeUrl}'); await new Promise(r => setTimeout(r, 500)); return "finished"; };`,
      });
      await nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: 'slow', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } }));
      const inflight = nimbus.lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
      await running;
      const exit = nimbus.stop();
      const out = await inflight;
      expect(Buffer.from(out.Payload!).toString()).toBe('"finished"');
      expect(await exit).toBe(0);
      probe.close();
    } finally {
      removeDataDir(nimbus.dataDir);
    }
  });

  it('generates root credentials on first start, stores them privately and prints them once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-creds-'));
    const env = { ...process.env };
    delete env.NIMBUS_ACCESS_KEY_ID;
    delete env.NIMBUS_SECRET_ACCESS_KEY;
    const run = () =>
      new Promise<string>((ok, fail) => {
        const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'server', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c: Buffer) => {
          if (c.toString().includes('nimbus listening')) child.kill('SIGTERM');
        });
        child.on('exit', (code) => (code === 0 ? ok(stdout) : fail(new Error(`exit ${code}`))));
      });
    try {
      const firstOut = await run();
      const file = join(dataDir, 'credentials.json');
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      expect(firstOut).toContain(`AWS_ACCESS_KEY_ID=${saved.accessKeyId}`);
      expect(firstOut).toContain(`AWS_SECRET_ACCESS_KEY=${saved.secretAccessKey}`);
      const secondOut = await run();
      expect(secondOut).not.toContain(saved.secretAccessKey);
    } finally {
      removeDataDir(dataDir);
    }
  });
});
