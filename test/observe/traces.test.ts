/**
 * Traces through the front door: a real server with NIMBUS_OTLP_ENDPOINT pointing at a collector
 * stub (a plain HTTP server recording POST /v1/traces), functions invoked with the real SDK (with
 * and without an X-Amzn-Trace-Id header), asynchronously, and through a function URL. The spans
 * the stub receives must continue the caller's trace, name the phases, and say cold start and
 * failure; the function must see the trace in _X_AMZN_TRACE_ID.
 */
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, InvokeCommand, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  resource: Record<string, unknown>;
}

let nimbus: NimbusProcess;
let collector: Server;
const received: ReceivedSpan[] = [];
const requests: { path: string; contentType: string | undefined }[] = [];

/** OTLP JSON attributes as a plain object. */
function plain(list: { key: string; value: Record<string, unknown> }[] = []): Record<string, unknown> {
  return Object.fromEntries(
    list.map(({ key, value }) => [key, 'intValue' in value ? Number(value.intValue) : Object.values(value)[0]]),
  );
}

/** A collector stub: records every span of every POST /v1/traces. */
async function startCollector(): Promise<string> {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans) {
        const resource = plain(rs.resource?.attributes);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            received.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId,
              name: s.name,
              kind: s.kind,
              start: BigInt(s.startTimeUnixNano),
              end: BigInt(s.endTimeUnixNano),
              attributes: plain(s.attributes),
              status: s.status,
              resource,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((ok) => collector.listen(0, '127.0.0.1', () => ok()));
  return `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
}

/** The spans of one invocation, once its root span arrived (the exporter sends every second). */
async function spansOf(requestId: string): Promise<{ root: ReceivedSpan; children: ReceivedSpan[] }> {
  const root = await poll(
    async () => received.find((s) => s.kind === 2 && s.attributes['faas.invocation_id'] === requestId),
    15_000,
    `the spans of ${requestId}`,
  );
  return { root, children: received.filter((s) => s.parentSpanId === root.spanId) };
}

const phase = (children: ReceivedSpan[], name: string) => children.find((s) => s.name === name);

/** A new X-Ray trace id, as an upstream service would make it. */
function newRoot(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}
const otelId = (root: string) => root.slice(2, 10) + root.slice(11);

/** Invokes with an X-Amzn-Trace-Id header added to the request (it is not in Invoke's model). */
async function invoke(input: InvokeCommandInput, traceHeader?: string) {
  const command = new InvokeCommand(input);
  if (traceHeader !== undefined) {
    command.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amzn-trace-id'] = traceHeader;
        return next(args);
      },
      { step: 'build', name: 'traceHeader' },
    );
  }
  const out = await nimbus.lambda.send(command);
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return { out, requestId: out.$metadata.requestId!, json: text ? JSON.parse(text) : undefined };
}

const SOURCE = `exports.handler = async (event, context) => {
  if (event.fail) throw new Error('boom');
  return { trace: process.env._X_AMZN_TRACE_ID ?? null, requestId: context.awsRequestId };
};`;

async function deploy(name: string, extra: Record<string, unknown> = {}) {
  await nimbus.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await makeZip({ 'index.js': SOURCE }) }, ...extra }),
  );
}

beforeAll(async () => {
  const endpoint = await startCollector();
  // A base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT is given: Nimbus posts to <endpoint>/v1/traces.
  nimbus = await startNimbus({ env: { NIMBUS_OTLP_ENDPOINT: endpoint } });
  await deploy('traced');
  await deploy('traced-active', { TracingConfig: { Mode: 'Active' } });
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
  await new Promise<void>((ok) => collector?.close(() => ok()));
});

describe('a synchronous invoke with an upstream trace', () => {
  const root = newRoot();
  const upstreamParent = '53995c3f42cd8ad8';
  let first: Awaited<ReturnType<typeof invoke>>;

  beforeAll(async () => {
    first = await invoke({ FunctionName: 'traced', Payload: Buffer.from('{}') }, `Root=${root};Parent=${upstreamParent};Sampled=1`);
  });

  it('gives the function the same trace, with the invoke span as its parent', async () => {
    expect(first.json.trace).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    expect(first.json.trace).not.toContain(upstreamParent);
    const { children } = await spansOf(first.requestId);
    expect(first.json.trace).toContain(`Parent=${phase(children, 'invoke')!.spanId}`);
  });

  it('exports a server span under the caller and a span per phase, cold start included', async () => {
    const { root: span, children } = await spansOf(first.requestId);
    expect(span).toMatchObject({ traceId: otelId(root), parentSpanId: upstreamParent, name: 'traced' });
    expect(span.attributes).toMatchObject({
      'faas.trigger': 'other',
      'faas.invocation_id': first.requestId,
      'faas.coldstart': true,
      'faas.name': 'traced',
      'faas.version': '$LATEST',
      'cloud.region': 'us-east-1',
      'cloud.resource_id': 'arn:aws:lambda:us-east-1:000000000000:function:traced',
    });
    expect(span.resource['service.name']).toBe('nimbus');
    expect(span.status).toBeUndefined();
    expect(children.map((s) => s.name).sort()).toEqual(['init', 'invoke', 'queue wait', 'response']);
    for (const child of children) {
      expect(child.traceId).toBe(span.traceId);
      expect(child.kind).toBe(1);
      expect(child.start).toBeGreaterThanOrEqual(span.start);
      expect(child.end).toBeLessThanOrEqual(span.end);
      expect(child.end).toBeGreaterThanOrEqual(child.start);
    }
    // In order: waiting, the cold start, the run, the answer.
    const [queue, init, run, response] = ['queue wait', 'init', 'invoke', 'response'].map((n) => phase(children, n)!);
    expect(queue!.end).toBeLessThanOrEqual(init!.start);
    expect(init!.end).toBeLessThanOrEqual(run!.start);
    expect(run!.end).toBeLessThanOrEqual(response!.start);
    expect(init!.end - init!.start).toBeGreaterThan(0n);
    expect(requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
  });

  it('says a warm start is not cold and has no init phase', async () => {
    const second = await invoke({ FunctionName: 'traced', Payload: Buffer.from('{}') }, `Root=${root};Parent=${upstreamParent};Sampled=1`);
    const { root: span, children } = await spansOf(second.requestId);
    expect(span.traceId).toBe(otelId(root));
    expect(span.attributes['faas.coldstart']).toBe(false);
    expect(children.map((s) => s.name).sort()).toEqual(['invoke', 'queue wait', 'response']);
  });

  it('marks a failing invoke with an error status', async () => {
    const failed = await invoke({ FunctionName: 'traced', Payload: Buffer.from('{"fail":true}') }, `Root=${newRoot()};Sampled=1`);
    expect(failed.out.FunctionError).toBe('Unhandled');
    const { root: span, children } = await spansOf(failed.requestId);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.status).toEqual({ code: 2, message: 'boom' });
    expect(span.attributes['error.type']).toBe('Error');
    expect(phase(children, 'invoke')!.status).toEqual({ code: 2, message: 'boom' });
  });
});

describe('the sampling decision', () => {
  it('PassThrough without a header: a new unsampled trace, nothing exported', async () => {
    const unsampled = await invoke({ FunctionName: 'traced', Payload: Buffer.from('{}') });
    expect(unsampled.json.trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
    const rootOf = (trace: string) => /Root=([^;]+)/.exec(trace)![1]!;
    // Upstream said no: kept, even for an Active function.
    const declined = await invoke({ FunctionName: 'traced-active', Payload: Buffer.from('{}') }, `Root=${newRoot()};Sampled=0`);
    expect(declined.json.trace).toMatch(/;Sampled=0$/);
    // Spans leave in the order invocations end: once a later one arrived, the earlier ones would have too.
    const later = await invoke({ FunctionName: 'traced', Payload: Buffer.from('{}') }, `Root=${newRoot()};Sampled=1`);
    await spansOf(later.requestId);
    const traceIds = new Set(received.map((s) => s.traceId));
    expect(traceIds.has(otelId(rootOf(unsampled.json.trace)))).toBe(false);
    expect(traceIds.has(otelId(rootOf(declined.json.trace)))).toBe(false);
  });

  it("Active without a decision upstream: Nimbus decides, sampling the function's first request of the second", async () => {
    const decided = await invoke({ FunctionName: 'traced-active', Payload: Buffer.from('{}') }, `Root=${newRoot()};Sampled=?`);
    expect(decided.json.trace).toMatch(/;Parent=[0-9a-f]{16};Sampled=1$/);
    const { root: span } = await spansOf(decided.requestId);
    expect(span.parentSpanId).toBeUndefined();
  });
});

describe('an asynchronous invoke', () => {
  it('exports the attempt in the caller trace: queue wait and run, no response phase', async () => {
    const root = newRoot();
    const event = { FunctionName: 'traced', InvocationType: 'Event' as const, Payload: Buffer.from('{}') };
    const unsampled = await invoke(event);
    const sampled = await invoke(event, `Root=${root};Parent=1111222233334444;Sampled=1`);
    expect(sampled.out.StatusCode).toBe(202);
    const { root: span, children } = await spansOf(sampled.requestId);
    expect(span).toMatchObject({ traceId: otelId(root), parentSpanId: '1111222233334444', name: 'traced' });
    expect(span.attributes).toMatchObject({ 'faas.trigger': 'other', 'faas.invocation_id': sampled.requestId });
    const names = children.map((s) => s.name);
    expect(names).toContain('queue wait');
    expect(names).toContain('invoke');
    expect(names).not.toContain('response');
    // No header on a PassThrough function: not sampled when accepted, so not recorded when run.
    expect(received.some((s) => s.attributes['faas.invocation_id'] === unsampled.requestId)).toBe(false);
  });
});

describe('a function URL', () => {
  it('exports an http-triggered invocation with its method, path and status', async () => {
    const created = await nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'traced', AuthType: 'NONE' }));
    const urlId = /^http:\/\/([a-z0-9]{32})\./.exec(created.FunctionUrl!)![1];
    const root = newRoot();
    const res = await fetch(`${nimbus.url}/_nimbus/url/${urlId}/hello`, { headers: { 'x-amzn-trace-id': `Root=${root};Sampled=1` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { trace: string; requestId: string };
    expect(body.trace).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    const { root: span, children } = await spansOf(body.requestId);
    expect(span.traceId).toBe(otelId(root));
    expect(span.attributes).toMatchObject({
      'faas.trigger': 'http',
      'http.request.method': 'GET',
      'url.path': '/hello',
      'http.response.status_code': 200,
    });
    expect(children.map((s) => s.name)).toContain('response');
  });
});

describe('shutdown', () => {
  it('sends the spans still queued before the server exits', async () => {
    const last = await invoke({ FunctionName: 'traced', Payload: Buffer.from('{}') }, `Root=${newRoot()};Sampled=1`);
    expect(await nimbus.stop()).toBe(0);
    // No waiting: the exporter's last POST was answered before the process exited.
    expect(received.some((s) => s.attributes['faas.invocation_id'] === last.requestId)).toBe(true);
  });
});
