// Sandbox cost, in one run on one machine (issue 3, item 7): for a Node.js and a Python hello
// function under `--sandbox bwrap` (with stem cells, the default, and without: `--stem-cells 0`)
// and `--sandbox none`, cold start (first Invoke of a new function, p50/p99; cold starts are
// `--gap` ms apart, default 500, time for a stem cell to be started again after the previous one), warm sequential Invoke of the Node.js one through the real SDK (p50/p99),
// and the idle memory of one warm environment (RSS of its processes; the cgroup's charge when
// sandboxed); plus the floor: spawning `node -e 0` and `python3 -c 0`. Servers are measured
// alternately, best of 2 rounds.
//
// Usage: npm run build && node bench/sandbox.js [--cold 30 --warm 2000 --gap 500]
// Idle memory needs to read /proc/<pid>/environ of the runtimes: run it as root (or it says n/a).
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startNimbus, zipOf } from './support.js';

const { values: args } = parseArgs({ options: { cold: { type: 'string' }, warm: { type: 'string' }, gap: { type: 'string' } } });
const COLD = Number(args.cold ?? 30);
const WARM = Number(args.warm ?? 2000);
const GAP_MS = Number(args.gap ?? 500);
/** The server configurations compared, by label. */
const MODES = {
  none: ['--sandbox', 'none'],
  bwrap: ['--sandbox', 'bwrap'],
  'bwrap, no stem cells': ['--sandbox', 'bwrap', '--stem-cells', '0'],
};
const CREDENTIALS = { accessKeyId: 'AKIDNIMBUSBENCH00001', secretAccessKey: 'nimbus-bench-secret-key-000000000000000' };
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const PYTHON = '/usr/bin/python3';

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const stats = (xs) => ({ p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) });

const FUNCTIONS = {
  nodejs: { Runtime: 'nodejs20.x', zip: await zipOf({ 'index.js': 'exports.handler = async (e) => ({ hello: "world", e });' }) },
  python: { Runtime: 'python3.12', zip: await zipOf({ 'index.py': 'def handler(event, context):\n    return {"hello": "world", "e": event}\n' }) },
};

/** Processes carrying the function's variables (the runtime, and the relays when sandboxed). */
function processesOf(functionName) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`AWS_LAMBDA_FUNCTION_NAME=${functionName}`)) pids.push(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Idle memory of one warm environment of `functionName`, in MB: RSS summed, and the cgroup's charge. */
function idleMemory(functionName) {
  const pids = processesOf(functionName);
  if (pids.length === 0) return { rssMb: NaN, cgroupMb: NaN, processes: 0 };
  let rssKb = 0;
  for (const pid of pids) rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  let cgroupMb = NaN;
  try {
    for (const line of readFileSync(`/proc/${pids[0]}/cgroup`, 'utf8').trim().split('\n')) {
      const [, controllers, path] = line.split(':');
      if (!path.includes('/nimbus/')) continue;
      const file = controllers === '' ? `/sys/fs/cgroup${path}/memory.current` : controllers.split(',').includes('memory') ? `/sys/fs/cgroup/memory${path}/memory.usage_in_bytes` : undefined;
      if (file) cgroupMb = Number(readFileSync(file, 'utf8')) / (1024 * 1024);
    }
  } catch {
    // no memory cgroup
  }
  return { rssMb: rssKb / 1024, cgroupMb, processes: pids.length };
}

async function measure(mode) {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-sandbox-'));
  const server = await startNimbus(dataDir, CREDENTIALS, MODES[mode]);
  const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  const out = {};
  try {
    for (const [family, fn] of Object.entries(FUNCTIONS)) {
      const cold = [];
      for (let i = 0; i < COLD; i++) {
        const name = `${family}-cold-${i}`;
        await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: fn.Runtime, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: fn.zip } }));
        await new Promise((ok) => setTimeout(ok, GAP_MS));
        const t0 = performance.now();
        const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
        cold.push(performance.now() - t0);
        if (r.FunctionError) throw new Error(`${name}: ${Buffer.from(r.Payload).toString()}`);
      }
      out[family] = { cold: stats(cold), idle: idleMemory(`${family}-cold-0`) };
    }
    const warm = [];
    for (let i = 0; i < 200; i++) await lambda.send(new InvokeCommand({ FunctionName: 'nodejs-cold-0', Payload: Buffer.from('{}') }));
    for (let i = 0; i < WARM; i++) {
      const t0 = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: 'nodejs-cold-0', Payload: Buffer.from('{"n":1}') }));
      warm.push(performance.now() - t0);
    }
    out.nodejs.warm = stats(warm);
    return out;
  } finally {
    lambda.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor: start an interpreter that does nothing, until it has exited. */
async function floor(argv) {
  const times = [];
  for (let i = 0; i < COLD; i++) {
    const t0 = performance.now();
    await new Promise((ok, fail) => spawn(argv[0], argv.slice(1), { stdio: 'ignore' }).once('exit', ok).once('error', fail));
    times.push(performance.now() - t0);
  }
  return stats(times);
}

const results = { floor: [], ...Object.fromEntries(Object.keys(MODES).map((m) => [m, []])) };
for (const round of [1, 2]) {
  const order = round === 1 ? Object.keys(MODES) : Object.keys(MODES).reverse();
  for (const mode of order) results[mode].push(await measure(mode));
  results.floor.push({ nodejs: { cold: await floor([process.execPath, '-e', '0']) }, python: { cold: await floor([PYTHON, '-c', '0']) } });
}

const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const best = (rs, path) => Math.min(...rs.map((r) => path.reduce((o, k) => o?.[k], r) ?? NaN));
console.log(`| ${COLD} cold (${GAP_MS} ms apart) / ${WARM} warm invokes, best of 2 rounds | cold p50 ms | cold p99 ms | warm p50 ms | warm p99 ms | idle RSS MB | idle cgroup MB |`);
console.log('|---|---|---|---|---|---|---|');
for (const family of ['nodejs', 'python']) {
  const floorRow = `\`${family === 'nodejs' ? 'node -e 0' : 'python3 -c 0'}\` (spawn floor)`;
  console.log(`| ${family}: ${floorRow} | ${f(best(results.floor, [family, 'cold', 'p50']))} | ${f(best(results.floor, [family, 'cold', 'p99']))} | | | | |`);
  for (const mode of Object.keys(MODES)) {
    const rs = results[mode];
    const warm = family === 'nodejs' ? [f(best(rs, [family, 'warm', 'p50'])), f(best(rs, [family, 'warm', 'p99']))] : ['', ''];
    console.log(
      `| ${family}: ${mode} | ${f(best(rs, [family, 'cold', 'p50']))} | ${f(best(rs, [family, 'cold', 'p99']))} | ${warm.join(' | ')} | ` +
        `${f(best(rs, [family, 'idle', 'rssMb']))} | ${f(best(rs, [family, 'idle', 'cgroupMb']))} |`,
    );
  }
}
console.log(JSON.stringify(results));
