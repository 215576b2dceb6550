// Sandbox cost, in one run on one machine: the same Node.js hello function under
// `--sandbox bwrap` and `--sandbox none`: cold start (first Invoke of a new function, p50/p99)
// and warm sequential Invoke through the real SDK (median, p99), servers measured alternately.
//
// Usage: npm run build && node bench/sandbox.js [--cold 30 --warm 2000]
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startNimbus, zipOf } from './support.js';

const { values: args } = parseArgs({ options: { cold: { type: 'string' }, warm: { type: 'string' } } });
const COLD = Number(args.cold ?? 30);
const WARM = Number(args.warm ?? 2000);
const CREDENTIALS = { accessKeyId: 'AKIDNIMBUSBENCH00001', secretAccessKey: 'nimbus-bench-secret-key-000000000000000' };
const ROLE = 'arn:aws:iam::000000000000:role/bench';

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function measure(mode, zip) {
  const dataDir = mkdtempSync(join(tmpdir(), `nimbus-bench-${mode}-`));
  const server = await startNimbus(dataDir, CREDENTIALS, ['--sandbox', mode]);
  const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    const cold = [];
    for (let i = 0; i < COLD; i++) {
      const name = `cold-${i}`;
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } }));
      const t0 = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
      cold.push(performance.now() - t0);
    }
    const warm = [];
    for (let i = 0; i < 200; i++) await lambda.send(new InvokeCommand({ FunctionName: 'cold-0', Payload: Buffer.from('{}') }));
    for (let i = 0; i < WARM; i++) {
      const t0 = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: 'cold-0', Payload: Buffer.from('{"n":1}') }));
      warm.push(performance.now() - t0);
    }
    return { cold: { p50: quantile(cold, 0.5), p99: quantile(cold, 0.99) }, warm: { p50: quantile(warm, 0.5), p99: quantile(warm, 0.99) } };
  } finally {
    lambda.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const zip = await zipOf({ 'index.js': 'exports.handler = async (e) => ({ hello: "world", e });' });
const results = {};
for (const round of [1, 2]) {
  for (const mode of round === 1 ? ['none', 'bwrap'] : ['bwrap', 'none']) {
    const r = await measure(mode, zip);
    (results[mode] ??= []).push(r);
  }
}
const f = (x) => x.toFixed(2);
const best = (rs, k, q) => Math.min(...rs.map((r) => r[k][q]));
console.log(`| ${COLD} cold / ${WARM} warm invokes, best of 2 rounds | cold p50 ms | cold p99 ms | warm p50 ms | warm p99 ms |`);
console.log('|---|---|---|---|---|');
for (const mode of ['none', 'bwrap']) {
  const rs = results[mode];
  console.log(`| --sandbox ${mode} | ${f(best(rs, 'cold', 'p50'))} | ${f(best(rs, 'cold', 'p99'))} | ${f(best(rs, 'warm', 'p50'))} | ${f(best(rs, 'warm', 'p99'))} |`);
}
console.log(JSON.stringify(results));
