/**
 * Malformed requests to every implemented operation of Lambda, CloudWatch Logs and CloudWatch,
 * in every protocol each is served in, SigV4-signed, against a real server holding a few
 * resources. Checks: no 5xx (501 for an operation without a handler), every refused request
 * answered 4xx and AWS-shaped for its protocol, the server alive, its state unchanged, its memory
 * and event loop flat. Seeded and bounded: NIMBUS_FUZZ_REQUESTS (default 2,000) and
 * NIMBUS_FUZZ_SEED (default random; printed, and named in every failure). See CONTRIBUTING.md.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { verdict } from './checks.js';
import { discoveryRequest } from './discovery.js';
import { buildCase, type FuzzCase } from './fuzz-case.js';
import { operationsOf, SERVICES, type FuzzOperation } from './operations.js';
import { randomSeed } from './prng.js';
import { closeConnections, send, type WireResponse } from './wire/send.js';
import { cloudWatchClient, createFixtures, fingerprint } from './state.js';

const BUDGET = Number(process.env.NIMBUS_FUZZ_REQUESTS ?? 2000);
const SEED = process.env.NIMBUS_FUZZ_SEED !== undefined ? Number(process.env.NIMBUS_FUZZ_SEED) : randomSeed();
const LARGE = BUDGET > 5000;
const CONCURRENCY = 4;
/** RSS growth allowed over the run, and over its second half (CONTRIBUTING.md, "Fuzzing", says how they were set). */
const RSS_GROWTH_MB = LARGE ? 300 : 150;
const RSS_SECOND_HALF_MB = 64;
/** Longest event loop stall allowed: about 100 ms per request, with room for a loaded CI machine. */
const LAG_MAX_SECONDS = 0.5;

let nimbus: NimbusProcess;
const cw = () => cloudWatchClient(nimbus);

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${BUDGET} requests (repeat with NIMBUS_FUZZ_SEED=${SEED} NIMBUS_FUZZ_REQUESTS=${BUDGET})`);
  nimbus = await startNimbus({ args: ['--sandbox', 'none', '--stem-cells', '0', '--egress', 'none'], env: { NIMBUS_ALARM_EVALUATION_MS: '3600000' } });
  await createFixtures(nimbus, cw());
});

afterAll(async () => {
  closeConnections();
  await nimbus?.stop();
  if (nimbus) removeDataDir(nimbus.dataDir);
});

const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${nimbus.process.pid}/status`, 'utf8'))![1]) / 1024;
async function lagMaxSeconds(): Promise<number | undefined> {
  const text = await (await fetch(`${nimbus.url}/metrics`)).text();
  const m = /^nimbus_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

function describeCase(c: FuzzCase, res: WireResponse | Error, why: string): string {
  const req = c.request;
  const answer = res instanceof Error ? res.message : `${res.status} ${res.body.toString('utf8').slice(0, 300)}`;
  return `#${c.index} ${c.op.service.name}.${c.op.name} over ${c.protocol} [${c.mutations.join(', ')}]: ${why}\n  ${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)} body ${req.body.subarray(0, 200).toString('utf8')}\n  → ${answer}`;
}

describe(`fuzz (seed ${SEED})`, () => {
  it(`answers ${BUDGET} malformed requests with AWS-shaped 4xx, keeping state, memory and the event loop`, { timeout: 60_000 + BUDGET * 40 }, async () => {
    const failures: string[] = [];
    const implemented: FuzzOperation[][] = [];
    for (const service of SERVICES) {
      const ops: FuzzOperation[] = [];
      for (const op of operationsOf(service)) {
        const req = discoveryRequest(op);
        const res = await send(nimbus.url, service.signingName, req);
        const why = verdict(req.protocol, false, res);
        if (why) failures.push(`discovery of ${service.name}.${op.name}: ${why}: ${res.body.toString('utf8').slice(0, 200)}`);
        if (res.status !== 501) ops.push(op);
      }
      implemented.push(ops);
    }
    const before = await fingerprint(nimbus, cw());
    await lagMaxSeconds(); // the histogram restarts at each scrape
    const rssBefore = rssMb();

    const statuses = new Map<number, number>();
    const slowest: Array<[number, string]> = [];
    let next = 0;
    let rssHalf = rssBefore;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BUDGET) {
          if (next === BUDGET >> 1) rssHalf = rssMb();
          const c = buildCase(SEED, next++, implemented, LARGE);
          try {
            const res = await send(nimbus.url, c.op.service.signingName, c.request);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            slowest.push([res.ms, `#${c.index} ${c.op.service.name}.${c.op.name}/${c.protocol} [${c.mutations.join(', ')}] ${res.status}`]);
            if (slowest.length > 5) slowest.sort((a, b) => b[0] - a[0]).pop();
            const why = verdict(c.protocol, c.invalid, res);
            if (why) failures.push(describeCase(c, res, why));
          } catch (err) {
            failures.push(describeCase(c, err as Error, 'no answer'));
            if (nimbus.process.exitCode !== null) return;
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const lag = await lagMaxSeconds();
    const rssAfter = rssMb();
    const after = nimbus.process.exitCode === null ? await fingerprint(nimbus, cw()) : 'the server exited';
    console.log(
      `fuzz: seed ${SEED}: ${BUDGET} requests in ${seconds.toFixed(1)} s over ${implemented.map((ops, i) => `${ops.length} ${SERVICES[i]!.name}`).join(', ')} operations; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; RSS ${rssBefore.toFixed(0)} → ${rssHalf.toFixed(0)} (half-way) → ${rssAfter.toFixed(0)} MB; event loop lag max ${lag} s; slowest: ${slowest.map(([ms, what]) => `${ms} ms ${what}`).join('; ')}`,
    );

    const hint = `(seed ${SEED}: NIMBUS_FUZZ_SEED=${SEED} NIMBUS_FUZZ_REQUESTS=${BUDGET} npx vitest run test/fuzz)`;
    expect(failures.slice(0, 10), `${failures.length} bad answers ${hint}`).toEqual([]);
    expect(nimbus.process.exitCode, `the server exited ${hint}`).toBeNull();
    expect(after, `state changed ${hint}`).toBe(before);
    expect(rssAfter - rssBefore, `RSS grew from ${rssBefore.toFixed(0)} to ${rssAfter.toFixed(0)} MB ${hint}`).toBeLessThan(RSS_GROWTH_MB);
    expect(rssAfter - rssHalf, `RSS kept growing in the second half, ${rssHalf.toFixed(0)} to ${rssAfter.toFixed(0)} MB ${hint}`).toBeLessThan(RSS_SECOND_HALF_MB);
    if (lag !== undefined) expect(lag, `the event loop stalled ${lag} s ${hint}`).toBeLessThan(LAG_MAX_SECONDS);
  });
});
