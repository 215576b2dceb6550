/** The `nimbus` CLI against a real server: deploy (with --publish and --alias), invoke, list, logs. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, CREDENTIALS, removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';

const run = promisify(execFile);
let nimbus: NimbusProcess;
let dir: string;

beforeAll(async () => {
  nimbus = await startNimbus();
  dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
  rmSync(dir, { recursive: true, force: true });
});

function nimbusCli(...args: string[]) {
  return run(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ENDPOINT_URL: nimbus.url,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
  });
}

describe('nimbus CLI', () => {
  it('deploys a folder, then updates it in place', async () => {
    writeFileSync(join(dir, 'index.js'), "exports.handler = async (e) => { console.log('cli log line'); return { greeting: process.env.GREETING, e }; };");
    const created = await nimbusCli('deploy', dir, '--name', 'cli-fn', '--runtime', 'nodejs20.x', '--handler', 'index.handler', '--env', 'GREETING=hello');
    expect(created.stdout).toMatch(/^created arn:aws:lambda:us-east-1:000000000000:function:cli-fn/);
    const first = await nimbusCli('invoke', 'cli-fn', '{"a":1}');
    expect(JSON.parse(first.stdout)).toEqual({ greeting: 'hello', e: { a: 1 } });
    const updated = await nimbusCli('deploy', dir, '--name', 'cli-fn', '--runtime', 'nodejs20.x', '--handler', 'index.handler', '--env', 'GREETING=again');
    expect(updated.stdout).toMatch(/^updated /);
    expect(JSON.parse((await nimbusCli('invoke', 'cli-fn:$LATEST')).stdout).greeting).toBe('again');
  });

  it('publishes a version and moves an alias to it on each deploy', async () => {
    const deploy = (greeting: string) =>
      nimbusCli('deploy', dir, '--name', 'cli-rel', '--runtime', 'nodejs20.x', '--handler', 'index.handler', '--env', `GREETING=${greeting}`, '--alias', 'live');
    const first = await deploy('one');
    expect(first.stdout).toMatch(/published arn:aws:lambda:us-east-1:000000000000:function:cli-rel:1\n/);
    expect(first.stdout).toMatch(/alias arn:aws:lambda:us-east-1:000000000000:function:cli-rel:live -> 1\n/);
    const second = await deploy('two');
    expect(second.stdout).toMatch(/alias arn:aws:lambda:us-east-1:000000000000:function:cli-rel:live -> 2\n/);
    expect(JSON.parse((await nimbusCli('invoke', 'cli-rel:live')).stdout).greeting).toBe('two');
    expect(JSON.parse((await nimbusCli('invoke', 'cli-rel:1')).stdout).greeting).toBe('one');
    const plain = await nimbusCli('deploy', dir, '--name', 'cli-rel', '--runtime', 'nodejs20.x', '--handler', 'index.handler', '--env', 'GREETING=three', '--publish');
    expect(plain.stdout).toMatch(/published .*:cli-rel:3\n$/);
    expect(JSON.parse((await nimbusCli('invoke', 'cli-rel:live')).stdout).greeting).toBe('two');
  });

  it('lists functions', async () => {
    const { stdout } = await nimbusCli('functions', 'list');
    expect(stdout).toMatch(/^NAME\s+RUNTIME/);
    expect(stdout).toMatch(/cli-fn\s+nodejs20\.x\s+128\s+3/);
  });

  it('prints logs', async () => {
    const { stdout } = await nimbusCli('logs', 'cli-fn');
    expect(stdout).toContain('cli log line');
    expect(stdout).toMatch(/REPORT RequestId:/);
  });

  it('exits 1 and prints the error when the function fails', async () => {
    writeFileSync(join(dir, 'index.js'), "exports.handler = async () => { throw new Error('nope'); };");
    await nimbusCli('deploy', dir, '--name', 'cli-fail', '--runtime', 'nodejs20.x', '--handler', 'index.handler');
    const err = await nimbusCli('invoke', 'cli-fail').catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('"errorMessage":"nope"');
  });
});
