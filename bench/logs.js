#!/usr/bin/env node
// Logs benchmark (not a test): against a real server, in one run,
//  1. ingestion through PutLogEvents: --events events (default 1,000,000) in batches of
//     --batch (default 10,000, the API's maximum) over --streams streams (default 10), --inflight
//     requests at once (default 4); this also seeds the store for the queries below;
//  2. ingestion through function output: a chatty Node.js function printing --lines lines per
//     invoke (default 1,000), --invokes invokes (default 200), 4 at once; counted once the lines
//     are in the store (a read flushes the log sink), with the lines the sink dropped, if any;
//  3. FilterLogEvents latency, p50/p99 of --calls calls (default 20) each, over the stored events:
//     no pattern in a one-minute window, a selective term, a selective JSON pattern, and a
//     stream-name prefix; plus the server's resident memory and the database's size.
// Usage: npm run build && node bench/logs.js [--events 1000000 --calls 20]
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startNimbus, zipOf } from './support.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const EVENTS = Number(args.events ?? 1_000_000);
const BATCH = Number(args.batch ?? 10_000);
const STREAMS = Number(args.streams ?? 10);
const INFLIGHT = Number(args.inflight ?? 4);
const LINES = Number(args.lines ?? 1000);
const INVOKES = Number(args.invokes ?? 200);
const CALLS = Number(args.calls ?? 20);
const GROUP = '/bench/app';
const credentials = { accessKeyId: 'AKIDNIMBUSBENCH00001', secretAccessKey: 'nimbus-bench-secret-0000000000000000000' };

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * The i-th event of the seed: three in four are text lines, one in four JSON; one in a thousand
 * is an ERROR (the selective term) and one JSON line in a thousand has status 503.
 */
function message(i) {
  const user = `u${i % 997}`;
  if (i % 4 === 3) {
    const status = i % 4000 === 3 ? 503 : 200;
    return `{"level":"INFO","status":${status},"user":"${user}","latencyMs":${i % 250}}`;
  }
  const level = i % 1000 === 0 ? 'ERROR' : 'INFO';
  return `${level} request ${i} for ${user} served in ${i % 250} ms`;
}

async function seed(logs) {
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  for (let s = 0; s < STREAMS; s++) await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `stream-${s}` }));
  // Events spread evenly over the last hour, in time order within each stream.
  const span = 3_600_000;
  const start = Date.now() - span - 60_000;
  const perStream = Math.ceil(EVENTS / STREAMS);
  const batches = [];
  for (let s = 0; s < STREAMS; s++) {
    for (let from = 0; from < perStream; from += BATCH) {
      batches.push({ stream: s, from, to: Math.min(perStream, from + BATCH) });
    }
  }
  let next = 0;
  let sent = 0;
  const t0 = performance.now();
  async function worker() {
    while (next < batches.length) {
      const b = batches[next++];
      const logEvents = [];
      for (let j = b.from; j < b.to; j++) {
        const i = j * STREAMS + b.stream;
        if (i >= EVENTS) break;
        logEvents.push({ timestamp: start + Math.floor((i * span) / EVENTS), message: message(i) });
      }
      await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: `stream-${b.stream}`, logEvents }));
      sent += logEvents.length;
    }
  }
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { events: sent, seconds, rate: sent / seconds, start, span };
}

async function chatty(url, logs) {
  const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const code = await zipOf({
    'index.js': `exports.handler = async (e) => { for (let i = 0; i < ${LINES}; i++) console.log('chatty line ' + i + ' of invoke ' + e.n); return e.n; };`,
  });
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'chatty', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: code } }));
  await lambda.send(new InvokeCommand({ FunctionName: 'chatty', Payload: Buffer.from('{"n":-1}') })); // the cold start is not what is measured
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < INVOKES) await lambda.send(new InvokeCommand({ FunctionName: 'chatty', Payload: Buffer.from(JSON.stringify({ n: next++ })) }));
    }),
  );
  // A read flushes the sink: once it answers, every line printed so far is stored.
  await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/chatty', filterPattern: '"chatty line 0 of invoke 0"' }));
  const seconds = (performance.now() - t0) / 1000;
  const text = await (await fetch(`${url}/metrics`)).text();
  const dropped = Number(/^nimbus_function_log_lines_dropped_total (\d+)/m.exec(text)?.[1] ?? 0);
  return { lines: INVOKES * LINES, seconds, rate: (INVOKES * LINES) / seconds, dropped };
}

async function latency(logs, input, check) {
  const times = [];
  let returned = 0;
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, ...input }));
    times.push(performance.now() - t0);
    returned = out.events.length;
    check?.(out);
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), returned };
}

async function residentMb(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^nimbus_process_resident_memory_bytes (\d+)/m.exec(text)?.[1]) / 2 ** 20;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-logs-'));
  const nimbus = await startNimbus(dir, credentials);
  const logs = new CloudWatchLogsClient({ endpoint: nimbus.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const r = { machine: `${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}` };
  try {
    r.rssBefore = await residentMb(nimbus.url);
    r.ingest = await seed(logs);
    r.rssAfterSeed = await residentMb(nimbus.url);
    r.chatty = await chatty(nimbus.url, logs);
    const windowStart = r.ingest.start + r.ingest.span / 2;
    const onlyErrors = (out) => out.events.every((e) => e.message.startsWith('ERROR')) || fail('term pattern matched a non-ERROR line');
    r.queries = [
      ['no pattern, one-minute window', await latency(logs, { startTime: windowStart, endTime: windowStart + 60_000 })],
      ['term `ERROR` (1 in 1,000 events)', await latency(logs, { filterPattern: 'ERROR' }, onlyErrors)],
      ['JSON `{ $.status = 503 }` (1 in 4,000)', await latency(logs, { filterPattern: '{ $.status = 503 }' })],
      ['stream prefix `stream-7`, no pattern', await latency(logs, { logStreamNamePrefix: 'stream-7' })],
      ['stream prefix `stream-0` and term `ERROR`', await latency(logs, { logStreamNamePrefix: 'stream-0', filterPattern: 'ERROR' }, onlyErrors)],
    ];
    r.rssEnd = await residentMb(nimbus.url);
  } finally {
    await nimbus.stop();
    r.dbMb = ['nimbus.db', 'nimbus.db-wal'].reduce((s, f) => {
      try {
        return s + statSync(join(dir, f)).size / 2 ** 20;
      } catch {
        return s;
      }
    }, 0);
    rmSync(dir, { recursive: true, force: true });
  }
  print(r);
}

function fail(message) {
  throw new Error(message);
}

function print(r) {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 0) : '—');
  const lines = [
    `Machine: ${r.machine}`,
    '',
    '| log ingestion | events | seconds | events per second |',
    '|---|---:|---:|---:|',
    `| PutLogEvents, ${BATCH.toLocaleString('en')}-event batches, ${STREAMS} streams, ${INFLIGHT} requests at once | ${r.ingest.events.toLocaleString('en')} | ${f(r.ingest.seconds)} | ${f(r.ingest.rate)} |`,
    `| function output: ${LINES.toLocaleString('en')} lines per invoke, ${INVOKES} invokes, 4 at once (${r.chatty.dropped} dropped) | ${r.chatty.lines.toLocaleString('en')} | ${f(r.chatty.seconds)} | ${f(r.chatty.rate)} |`,
    '',
    `| FilterLogEvents over ${r.ingest.events.toLocaleString('en')} events (${CALLS} calls each) | events returned | p50 ms | p99 ms |`,
    '|---|---:|---:|---:|',
    ...r.queries.map(([name, q]) => `| ${name} | ${q.returned.toLocaleString('en')} | ${f(q.p50)} | ${f(q.p99)} |`),
    '',
    `Server resident memory: ${f(r.rssBefore)} MB at start, ${f(r.rssAfterSeed)} MB after seeding, ${f(r.rssEnd)} MB at the end; database on disk ${f(r.dbMb)} MB.`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
