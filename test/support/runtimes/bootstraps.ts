/**
 * Runtime bootstraps for integration tests, written into temp code directories and run as
 * `provided.al2023` functions: a Node.js Runtime API client (node:http, keep-alive) whose
 * behaviour each event picks with its `action`, and a bash one using curl.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NODE_BOOTSTRAP = `#!${process.execPath}
'use strict';
const http = require('node:http');
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, path, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, agent, headers, path: '/2018-06-01/runtime' + path }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function init() {
  if (process.env.MODE === 'init-error') {
    console.error('Error: Cannot find module index');
    await call('POST', '/init/error', JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'index'" }), { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    process.exit(1);
  }
  if (process.env.MODE === 'init-exit') {
    console.error('dying during init');
    process.exit(2);
  }
}

async function main() {
  await init();
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    const event = JSON.parse(next.body || '{}');
    const post = (kind, body, headers) => call('POST', '/invocation/' + id + '/' + kind, body, headers);
    switch (event.action) {
      case 'ping':
        await post('response', '"pong"');
        break;
      case 'error':
        await post('error', JSON.stringify({ errorMessage: 'boom', errorType: 'Error', stackTrace: ['at handler'] }), { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
        break;
      case 'sleep':
        await new Promise((r) => setTimeout(r, event.ms));
        await post('response', JSON.stringify({ pid: process.pid, slept: event.ms }));
        break;
      case 'exit':
        console.log('exiting with ' + event.code);
        process.exit(event.code);
        break;
      case 'big': {
        const r = await post('response', JSON.stringify('x'.repeat(event.size)));
        console.log('big response answered ' + r.status + ' ' + r.body);
        break;
      }
      case 'forge': {
        const forged = await call('POST', '/invocation/' + event.otherId + '/response', '"hijacked"');
        await post('response', JSON.stringify({ status: forged.status, body: JSON.parse(forged.body) }));
        break;
      }
      case 'log':
        console.log('hello from the function');
        console.error('and from stderr');
        process.stdout.write('no newline at the end');
        await post('response', '"logged"');
        break;
      default:
        await post('response', JSON.stringify({
          pid: process.pid,
          event,
          requestId: id,
          deadlineMs: Number(next.headers['lambda-runtime-deadline-ms']),
          invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
          traceId: next.headers['lambda-runtime-trace-id'],
          env: process.env,
        }));
    }
  }
}
main().catch((err) => { console.error(err); process.exit(1); });
`;

const BASH_BOOTSTRAP = `#!/bin/bash
set -euo pipefail
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
HEADERS="$(mktemp)"
trap 'rm -f "$HEADERS"' EXIT
while true; do
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)"
  echo "bash handled $REQUEST_ID"
  curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" -d "{\\"pid\\":$$,\\"event\\":$EVENT}"
done
`;

async function codeDir(bootstrap: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nimbus-fn-'));
  const file = join(dir, 'bootstrap');
  await writeFile(file, bootstrap);
  await chmod(file, 0o755);
  return dir;
}

/** A code directory whose `bootstrap` is the scripted Node.js runtime. */
export function nodeBootstrapDir(): Promise<string> {
  return codeDir(NODE_BOOTSTRAP);
}

/** A code directory whose `bootstrap` is a bash + curl runtime echoing events. */
export function bashBootstrapDir(): Promise<string> {
  return codeDir(BASH_BOOTSTRAP);
}
