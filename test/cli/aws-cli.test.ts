/** The unmodified aws CLI (Debian's awscli) against a real server: the quick start of the README. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { awsCli, hasAwsCliV2 } from '../support/server/aws-cli.js';
import { makeZip } from '../support/zip.js';


let nimbus: NimbusProcess;
let dir: string;

// npm test installs awscli v2 (scripts/setup.sh); a machine without it skips, with this reason.
describe.skipIf(!hasAwsCliV2)('aws CLI', () => {
  beforeAll(async () => {
    nimbus = await startNimbus();
    dir = mkdtempSync(join(tmpdir(), 'nimbus-awscli-'));
  });
  afterAll(async () => {
    await nimbus?.stop();
    removeDataDir(nimbus.dataDir);
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = (...args: string[]) => awsCli(nimbus.url, dir, args);

  it('creates, invokes, reads and deletes a function', async () => {
    writeFileSync(join(dir, 'fn.zip'), await makeZip({ 'index.js': 'exports.handler = async (e) => ({ hello: e.name });' }));
    const created = JSON.parse(
      (await aws('lambda', 'create-function', '--function-name', 'cli-hello', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
        '--role', ROLE, '--zip-file', `fileb://${join(dir, 'fn.zip')}`)).stdout,
    );
    expect(created.FunctionName).toBe('cli-hello');
    await aws('lambda', 'wait', 'function-active-v2', '--function-name', 'cli-hello');
    const out = join(dir, 'out.json');
    const invoked = JSON.parse(
      (await aws('lambda', 'invoke', '--function-name', 'cli-hello', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"name":"nimbus"}', '--log-type', 'Tail', out)).stdout,
    );
    expect(invoked.StatusCode).toBe(200);
    expect(Buffer.from(invoked.LogResult, 'base64').toString()).toContain('REPORT RequestId');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ hello: 'nimbus' });
    const listed = JSON.parse((await aws('lambda', 'list-functions')).stdout);
    expect(listed.Functions.map((f: any) => f.FunctionName)).toContain('cli-hello');
    const logs = JSON.parse((await aws('logs', 'filter-log-events', '--log-group-name', '/aws/lambda/cli-hello')).stdout);
    expect(logs.events.some((e: any) => e.message.startsWith('START RequestId'))).toBe(true);
    const tail = (await aws('logs', 'tail', '/aws/lambda/cli-hello', '--since', '1h')).stdout;
    expect(tail).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(tail).toContain('REPORT RequestId');
    await aws('lambda', 'delete-function', '--function-name', 'cli-hello');
    const missing = await aws('lambda', 'get-function', '--function-name', 'cli-hello').catch((e) => e);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  });
});
