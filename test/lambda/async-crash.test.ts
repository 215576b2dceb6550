/**
 * Nothing accepted is lost: thousands of events are accepted, the server is killed with
 * SIGKILL while they are queued or running, and after a restart on the same data directory
 * every accepted event has run at least once. The function records each run in a host file,
 * so this test runs without the sandbox (its /tmp would be private).
 */
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

const EVENTS = 2000;
const SENDERS = 16;
const dir = mkdtempSync(join(tmpdir(), 'nimbus-crash-'));
const runs = join(dir, 'runs.txt');
const options = { args: ['--sandbox', 'none'], env: { NIMBUS_ASYNC_MAX_IN_FLIGHT: '4' } };
let nimbus: NimbusProcess | undefined;

afterAll(async () => {
  await nimbus?.stop();
  if (nimbus) removeDataDir(nimbus.dataDir);
  rmSync(dir, { recursive: true, force: true });
});

const ran = () => new Set(existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter(Boolean) : []);

describe('async invocation across a crash', () => {
  it('runs every accepted event at least once after kill -9 and a restart', async () => {
    nimbus = await startNimbus(options);
    // 20 ms a run, 4 at a time: the queue drains slower than it fills, so the kill lands mid-stream.
    const source = `const fs = require('fs'); exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 20)); fs.appendFileSync(${JSON.stringify(runs)}, e.id + '\\n'); };`;
    await nimbus.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'counted', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip({ 'index.js': source }) } }),
    );
    const accepted: string[] = [];
    let next = 0;
    const lambda = nimbus.lambda;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < EVENTS) {
          const id = `event-${next++}`;
          const out = await lambda.send(new InvokeCommand({ FunctionName: 'counted', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ id })) }));
          expect(out.StatusCode).toBe(202);
          accepted.push(id);
        }
      }),
    );
    expect(accepted).toHaveLength(EVENTS);
    const beforeCrash = ran().size;
    await nimbus.kill();
    // Some ran, most were still queued: the crash hit mid-stream.
    expect(beforeCrash).toBeLessThan(EVENTS);

    nimbus = await startNimbus({ ...options, dataDir: nimbus.dataDir });
    await poll(async () => ran().size === EVENTS, 60_000, 'every accepted event to run', 250);
    const seen = ran();
    expect(accepted.filter((id) => !seen.has(id))).toEqual([]);
  });
});
