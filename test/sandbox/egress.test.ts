/**
 * Internet egress from sandboxes (decision 10) through the front door: a real sandboxed server,
 * the real SDK, a web server on this host's own network address standing in for "the internet"
 * (CI has none). Lambda functions outside a VPC reach the internet; with `--egress none` a
 * sandbox reaches nothing but its own loopback. Either way the host's loopback stays out of
 * reach (the escape suite checks that too). Where the host cannot sandbox, has no non-loopback
 * address, or cannot give egress (not root, no slirp4netns): fails on CI, skipped elsewhere, with
 * the reason (security-suite.ts).
 */
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_HOST } from '../support/sandbox/function-spec.js';
import { securitySuite } from '../support/security-suite.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';
import { findTool } from '../../src/sandbox/bwrap/host-layout.js';
import { sandboxSupport } from '../../src/sandbox/bwrap/sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);
const address = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
/** Why this host cannot test sandboxes' egress; undefined: it can. */
function whyNoEgress(): string | undefined {
  if (support.reason) return support.reason;
  if (address === undefined) return 'this host has no non-loopback IPv4 address to stand in for the internet';
  if (process.getuid?.() !== 0) return 'egress needs the server to run as root';
  if (!findTool('slirp4netns').startsWith('/')) return 'slirp4netns is not installed (apt-get install slirp4netns)';
  return undefined;
}

/** Fetches each URL of the event and reports the body or the error code, plus its resolv.conf. */
const FETCHER = `
exports.handler = async (e) => {
  const out = {};
  for (const [name, url] of Object.entries(e.urls)) {
    try { out[name] = await (await fetch(url, { signal: AbortSignal.timeout(3000) })).text(); }
    catch (err) { out[name] = String(err.cause?.code ?? err.name); }
  }
  try { out.resolv = require('fs').readFileSync('/etc/resolv.conf', 'utf8'); } catch (err) { out.resolv = err.code; }
  return out;
};
`;

let web: Server;
let webUrl: string;
let loopbackUrl: string;

async function fetchFrom(nimbus: NimbusProcess, name: string) {
  await nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 15, Code: { ZipFile: await makeZip({ 'index.js': FETCHER }) } }),
  );
  const out = await nimbus.lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ urls: { internet: webUrl, hostLoopback: loopbackUrl } })) }),
  );
  expect(out.FunctionError).toBeUndefined();
  return JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
}

securitySuite('sandbox egress', whyNoEgress(), () => {
  beforeAll(async () => {
    web = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((ok) => web.listen(0, '0.0.0.0', () => ok()));
    const port = (web.address() as AddressInfo).port;
    webUrl = `http://${address}:${port}/`;
    loopbackUrl = `http://127.0.0.1:${port}/`;
  });
  afterAll(() => web?.close());

  it('reaches the network beyond the host, through slirp4netns, but not the host loopback', async () => {
    const nimbus = await startNimbus();
    try {
      const out = await fetchFrom(nimbus, 'outbound');
      expect(out).toEqual({ internet: 'reached', hostLoopback: 'ECONNREFUSED', resolv: 'nameserver 10.0.2.3\n' });
    } finally {
      await nimbus.stop();
      removeDataDir(nimbus.dataDir);
    }
  }, 30_000);

  it('reaches nothing beyond its own loopback with --egress none', async () => {
    const nimbus = await startNimbus({ args: ['--egress', 'none'] });
    try {
      const out = await fetchFrom(nimbus, 'isolated');
      expect(out.internet).not.toBe('reached');
      expect(out.hostLoopback).toBe('ECONNREFUSED');
      // No network, so no resolver either.
      expect(out.resolv).toBe('ENOENT');
    } finally {
      await nimbus.stop();
      removeDataDir(nimbus.dataDir);
    }
  }, 30_000);
});
