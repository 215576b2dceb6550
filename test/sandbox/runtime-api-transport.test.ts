/**
 * How our runtime clients reach their Runtime API inside a sandbox: 127.0.0.1:9001 is a socat
 * relay to the environment's own unix socket (decision 8), kept for runtimes that only know
 * host:port (the official aws-lambda-ric, bash + curl). Our Node.js and Python clients use the
 * socket directly, which saves the relay's two hops per message. Checked from inside: a
 * client talking through the relay would hold an ESTABLISHED TCP connection to port 9001. On a
 * host that cannot sandbox: fails on CI, skipped elsewhere, with the reason (security-suite.ts).
 */
import { CreateFunctionCommand, InvokeCommand, type Runtime } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_HOST } from '../support/sandbox/function-spec.js';
import { securitySuite } from '../support/security-suite.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';
import { sandboxSupport } from '../../src/sandbox/bwrap/sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);

/** ESTABLISHED (01) TCP connections to 127.0.0.1:9001 (0100007F:2329), from /proc/net/tcp's text. */
const countRelayed = (tcp: string) => tcp.split('\n').filter((l) => / 0100007F:2329 01 /.test(l)).length;

let nimbus: NimbusProcess;

async function tcpTableOf(name: string, runtime: Runtime, files: Record<string, string>): Promise<string> {
  await nimbus.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip(files) } }));
  // Twice: the second runs on the warm environment, with its client's connection open.
  await nimbus.lambda.send(new InvokeCommand({ FunctionName: name }));
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: name }));
  expect(out.FunctionError).toBeUndefined();
  return JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
}

securitySuite('sandboxed Runtime API transport', support.reason, () => {
  beforeAll(async () => {
    nimbus = await startNimbus();
  }, 30_000);
  afterAll(async () => {
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
  });

  it('our Node.js client uses the environment socket, not the relay', async () => {
    const tcp = await tcpTableOf('node-direct', 'nodejs20.x', { 'index.js': "exports.handler = async () => require('fs').readFileSync('/proc/net/tcp', 'utf8');" });
    expect(tcp).toContain('0100007F:2329 00000000:0000 0A'); // the relay still listens, for other clients
    expect(countRelayed(tcp)).toBe(0);
  });

  it('our Python client uses the environment socket, not the relay', async () => {
    const tcp = await tcpTableOf('python-direct', 'python3.12', { 'index.py': "def handler(event, context):\n    return open('/proc/net/tcp').read()\n" });
    expect(countRelayed(tcp)).toBe(0);
  });
});
