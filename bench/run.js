#!/usr/bin/env node
// Nimbus benchmark (not a test): in one run, side by side on this machine,
//  1. warm synchronous Invoke of a Node.js hello function through the Invoke API at 1, 10 and
//     50 connections, against a plain node:http hello server under the same load generator;
//  2. cold start: p50/p99 of the first Invoke of a just-created function, against the floor
//     of spawning `node -e 0`. Cold starts are `--gap` ms apart (default 500): enough for the
//     server to start the stem cell the next one binds (decision 9), as between real cold starts.
// Load generator: wrk (Debian package `wrk`) replaying one SigV4-signed request (a signature
// stays valid for the 15-minute skew window, so replaying it is legitimate for a benchmark).
// Usage: npm run bench [-- --duration 10 --cold 30 --gap 500]
import { LambdaClient, CreateFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startNimbus, zipOf } from './support.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const here = dirname(fileURLToPath(import.meta.url));
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const DURATION = Number(args.duration ?? 10);
const COLD = Number(args.cold ?? 30);
const GAP_MS = Number(args.gap ?? 500);
const CONNECTIONS = [1, 10, 50];
const credentials = { accessKeyId: 'AKIDNIMBUSBENCH00001', secretAccessKey: 'nimbus-bench-secret-0000000000000000000' };

/** One wrk run; one thread, so the other core is left to what is measured (on a 2-core box). */
function wrk(url, connections, luaFile, seconds = DURATION) {
  const out = execFileSync('wrk', ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', ...(luaFile ? ['-s', luaFile] : []), url], {
    encoding: 'utf8',
  });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const total = Number(/(\d+) requests in/.exec(out)?.[1]);
  const pct = (p) => toMs(new RegExp(`\\s${p}%\\s+([\\d.]+\\w+)`).exec(out)?.[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  return { rps, total, p50: pct(50), p99: pct(99), errors: Number(errors) };
}

async function queueDepth(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^nimbus_async_queue_depth (\d+)$/m.exec(text)?.[1] ?? NaN);
}

function toMs(s) {
  if (!s) return NaN;
  const m = /([\d.]+)(us|ms|s)/.exec(s);
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function signedInvokeScript(url, functionName, dir, extraHeaders = {}) {
  const u = new URL(url);
  const body = '{"hello":"world"}';
  const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: `/2015-03-31/functions/${functionName}/invocations`,
      headers: { host: u.host, 'content-type': 'application/json', ...extraHeaders },
      body,
    }),
  );
  const headers = Object.entries(signed.headers)
    .filter(([k]) => k !== 'host')
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  const file = join(dir, `invoke-${functionName}-${Object.keys(extraHeaders).length}.lua`);
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n${headers}\n`);
  return { file, target: `${url}/2015-03-31/functions/${functionName}/invocations` };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-'));
  const nimbus = await startNimbus(dir, credentials);
  const lambda = new LambdaClient({ endpoint: nimbus.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const hello = await zipOf({ 'index.js': 'exports.handler = async (event) => ({ statusCode: 200, body: "hello" });' });
  const role = 'arn:aws:iam::000000000000:role/bench';
  const results = { machine: `${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}` };
  try {
    // --- warm invoke vs plain node:http ---
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'bench-hello', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: role, Code: { ZipFile: hello } }));
    for (let i = 0; i < 50; i++) await lambda.send(new InvokeCommand({ FunctionName: 'bench-hello' }));
    const plain = spawn(process.execPath, [join(here, 'plain-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const plainPort = await new Promise((ok) => plain.stdout.once('data', (d) => ok(Number(String(d).trim()))));
    const plainUrl = `http://127.0.0.1:${plainPort}/`;
    const script = await signedInvokeScript(nimbus.url, 'bench-hello', dir);
    results.warm = [];
    for (const c of CONNECTIONS) {
      // Warm: bring up the environments this concurrency needs before measuring (their cold
      // starts are measured below, separately).
      wrk(script.target, c, script.file, 2);
      const base = wrk(plainUrl, c, script.file);
      const nim = wrk(script.target, c, script.file);
      results.warm.push({ connections: c, plain: base, nimbus: nim, ratio: nim.rps / base.rps });
    }
    plain.kill();

    // --- asynchronous invoke: accept rate (committed before 202), then drain rate ---
    const asyncScript = await signedInvokeScript(nimbus.url, 'bench-hello', dir, { 'x-amz-invocation-type': 'Event' });
    const accepted = wrk(asyncScript.target, 10, asyncScript.file);
    const depthAtEnd = await queueDepth(nimbus.url);
    const t0 = performance.now();
    while ((await queueDepth(nimbus.url)) > 0) await new Promise((r) => setTimeout(r, 50));
    const drainSeconds = (performance.now() - t0) / 1000;
    results.async = { accept: accepted, depthAtEnd, drainRate: depthAtEnd / Math.max(drainSeconds, 0.001) };

    // --- synchronous invoke at a reserved concurrency of 5, offered 20 connections ---
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'bench-limited', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: role, Code: { ZipFile: hello } }));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'bench-limited', ReservedConcurrentExecutions: 5 }));
    const limitedScript = await signedInvokeScript(nimbus.url, 'bench-limited', dir);
    wrk(limitedScript.target, 5, limitedScript.file, 2);
    const limited = wrk(limitedScript.target, 20, limitedScript.file);
    results.limited = { ...limited, okRps: (limited.total - limited.errors) / DURATION, throttleShare: limited.errors / limited.total };

    // --- cold start ---
    const cold = [];
    for (let i = 0; i < COLD; i++) {
      const name = `bench-cold-${i}`;
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: role, Code: { ZipFile: hello } }));
      await new Promise((ok) => setTimeout(ok, GAP_MS));
      const t0 = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: name }));
      cold.push(performance.now() - t0);
    }
    const floor = [];
    for (let i = 0; i < COLD; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { env: {} });
      floor.push(performance.now() - t0);
    }
    results.cold = {
      nimbus: { p50: quantile(cold, 0.5), p99: quantile(cold, 0.99) },
      floor: { p50: quantile(floor, 0.5), p99: quantile(floor, 0.99) },
    };
  } finally {
    await nimbus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  print(results);
}

function print(r) {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 0) : '—');
  const lines = [
    `Machine: ${r.machine}; wrk (1 thread), ${DURATION}s per row after a 2 s warm-up at the same concurrency`,
    '',
    '| connections | plain node:http req/s | Nimbus Invoke req/s | ratio | Nimbus p50 ms | Nimbus p99 ms | plain p50 ms | plain p99 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.warm.map(
      (w) =>
        `| ${w.connections} | ${f(w.plain.rps)} | ${f(w.nimbus.rps)} | ${(w.ratio * 100).toFixed(1)}% | ${f(w.nimbus.p50)} | ${f(w.nimbus.p99)} | ${f(w.plain.p50)} | ${f(w.plain.p99)} |` +
        (w.nimbus.errors ? ` (${w.nimbus.errors} non-2xx)` : ''),
    ),
    '',
    '| asynchronous invoke (10 connections) | figure |',
    '|---|---:|',
    `| events accepted (committed, 202) per second | ${f(r.async.accept.rps)} |`,
    `| accept p50 / p99 ms | ${f(r.async.accept.p50)} / ${f(r.async.accept.p99)} |`,
    `| queue depth when accepting stopped | ${r.async.depthAtEnd} |`,
    `| drain rate, events per second | ${r.async.depthAtEnd > 0 ? f(r.async.drainRate) : 'kept up: queue empty when accepting stopped'} |`,
    '',
    '| sync invoke, reserved concurrency 5, 20 connections | figure |',
    '|---|---:|',
    `| successful invokes per second | ${f(r.limited.okRps)} |`,
    `| throttled (429) share of requests | ${(r.limited.throttleShare * 100).toFixed(1)}% |`,
    `| p50 / p99 ms (all answers) | ${f(r.limited.p50)} / ${f(r.limited.p99)} |`,
    '',
    `| cold start (${COLD} functions, ${GAP_MS} ms apart) | p50 ms | p99 ms |`,
    '|---|---:|---:|',
    `| Nimbus first Invoke of a new function | ${f(r.cold.nimbus.p50)} | ${f(r.cold.nimbus.p99)} |`,
    `| floor: spawn \`node -e 0\` | ${f(r.cold.floor.p50)} | ${f(r.cold.floor.p99)} |`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
