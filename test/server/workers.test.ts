/**
 * Workers through the front door: two real servers on one data directory (so one database, as
 * nodes of a cluster share one) each have a node id of their own; per-node workers run on both,
 * a once-per-cluster worker on exactly one, and it moves to the other when its holder is killed.
 * Read from each server's /metrics (`nimbus_worker_running`, `nimbus_worker_lease_rounds_total`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';

const CLUSTER_WORKER = 'cloudwatch.alarm-evaluator';
const NODE_WORKER = 'lambda.async-dispatcher';
const env = { NIMBUS_LEASE_TTL_MS: '600' };
const servers: NimbusProcess[] = [];

afterAll(async () => {
  for (const s of servers) await s.kill().catch(() => {});
  if (servers[0]) removeDataDir(servers[0].dataDir);
});

async function scrape(server: NimbusProcess): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

function gauge(text: string, worker: string): number | undefined {
  const m = new RegExp(`^nimbus_worker_running\\{worker="${worker.replace('.', '\\.')}",runs="[a-z-]+"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

function rounds(text: string): number {
  return Number(/^nimbus_worker_lease_rounds_total (\d+)$/m.exec(text)?.[1] ?? 0);
}

const nodeOf = (s: NimbusProcess) => s.logs.find((l) => l.msg === 'nimbus listening')?.node as string;

describe('workers on two servers sharing a data directory', () => {
  it('runs a once-per-cluster worker on one node only, and hands it over when that node dies', async () => {
    const a = await startNimbus({ env });
    servers.push(a);
    const b = await startNimbus({ dataDir: a.dataDir, env });
    servers.push(b);
    expect(nodeOf(a)).not.toBe(nodeOf(b));
    expect(b.logs.some((l) => l.msg.includes('another server uses this data directory'))).toBe(true);

    // Both run their own per-node worker; the cluster worker runs on A, which took its lease first.
    const [textA, textB] = await Promise.all([scrape(a), scrape(b)]);
    expect([gauge(textA, NODE_WORKER), gauge(textB, NODE_WORKER)]).toEqual([1, 1]);
    expect([gauge(textA, CLUSTER_WORKER), gauge(textB, CLUSTER_WORKER)]).toEqual([1, 0]);

    // B keeps asking for the lease (several rounds, more than one lease lifetime) and never gets it.
    const start = rounds(textB);
    await poll(async () => rounds(await scrape(b)) >= start + 4, 10_000, 'B to try the lease four more times');
    expect(gauge(await scrape(b), CLUSTER_WORKER)).toBe(0);
    expect(gauge(await scrape(a), CLUSTER_WORKER)).toBe(1);

    // A dies without releasing anything: once its lease expires, B runs the worker.
    await a.kill();
    await poll(async () => gauge(await scrape(b), CLUSTER_WORKER) === 1, 10_000, 'B to take over the alarm evaluator');
  });
});
