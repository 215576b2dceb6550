/**
 * InvokeMode RESPONSE_STREAM: a Node.js function using `awslambda.streamifyResponse` and
 * `awslambda.HttpResponseStream.from` streams its chunks to the URL's HTTP client as it writes
 * them; BUFFERED URLs and plain Invoke are unaffected.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  InvokeCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { makeZip } from '../support/zip.js';

const STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const mode = (event.queryStringParameters || {}).mode || 'prelude';
  const sleep = () => new Promise((r) => setTimeout(r, 200));
  if (mode === 'raw') {
    responseStream.write('raw-');
    await sleep();
    responseStream.end('done');
    return;
  }
  if (mode === 'fail') {
    responseStream.write('partial');
    await sleep();
    throw new Error('mid-stream');
  }
  if (mode === 'early') throw new Error('before any write');
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201,
    headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
    cookies: ['a=1', 'b=2'],
  });
  for (let i = 0; i < 3; i++) {
    stream.write('chunk' + i + ';');
    await sleep();
  }
  stream.end();
});`;

const PLAIN = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'buffered:' + event.rawPath });`;

let nimbus: NimbusProcess;
let port: string;
const urlIds: Record<string, string> = {};

const urlIdOf = (url: string) => /^http:\/\/([a-z0-9]{32})\.lambda-url\./.exec(url)![1]!;

async function createFunction(name: string, code: string): Promise<void> {
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await makeZip({ 'index.js': code }) },
    }),
  );
}

beforeAll(async () => {
  nimbus = await startNimbus();
  port = new URL(nimbus.url).port;
  await createFunction('streamer', STREAMER);
  await createFunction('plain', PLAIN);
  await nimbus.lambda.send(new PublishVersionCommand({ FunctionName: 'plain' }));
  await nimbus.lambda.send(new CreateAliasCommand({ FunctionName: 'plain', Name: 'live', FunctionVersion: '1' }));
  const url = async (key: string, FunctionName: string, InvokeMode: 'BUFFERED' | 'RESPONSE_STREAM', Qualifier?: string) => {
    const created = await nimbus.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName, Qualifier, AuthType: 'NONE', InvokeMode }));
    urlIds[key] = urlIdOf(created.FunctionUrl!);
  };
  await url('streamer', 'streamer', 'RESPONSE_STREAM');
  await url('plain', 'plain', 'BUFFERED');
  await url('plainStream', 'plain', 'RESPONSE_STREAM', 'live');
}, 60_000);
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

interface Streamed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Chunks as received, with their arrival time (ms since the request was sent). */
  chunks: { at: number; text: string }[];
  endedAt: number;
  /** The response ended cleanly (false: the connection was cut). */
  complete: boolean;
  text: string;
}

function get(path: string, host?: string): Promise<Streamed> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, headers: host ? { host } : {} }, (res) => {
      const chunks: { at: number; text: string }[] = [];
      let settled = false;
      const done = (complete: boolean) => {
        if (settled) return;
        settled = true;
        const text = chunks.map((c) => c.text).join('');
        ok({ status: res.statusCode!, headers: res.headers, chunks, endedAt: performance.now() - t0, complete, text });
      };
      res.on('data', (c: Buffer) => chunks.push({ at: performance.now() - t0, text: c.toString('utf8') }));
      res.on('end', () => done(res.complete));
      res.on('aborted', () => done(false));
      res.on('error', () => done(false));
      res.on('close', () => done(res.complete));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('a RESPONSE_STREAM URL', () => {
  it('streams the chunks as the function writes them, with the prelude as status and headers (host form)', async () => {
    // Warm up first so the timed request does not include a cold start.
    await get(`/_nimbus/url/${urlIds.streamer}/`);
    const got = await get('/stream?x=1', `${urlIds.streamer}.lambda-url.us-east-1.localhost:${port}`);
    expect(got.status).toBe(201);
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.headers['x-custom']).toBe('yes');
    expect(got.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(got.headers['transfer-encoding']).toBe('chunked');
    expect(got.headers['content-length']).toBeUndefined();
    expect(got.text).toBe('chunk0;chunk1;chunk2;');
    expect(got.complete).toBe(true);
    // The function writes chunk0, then pauses 200 ms three times before ending: the first chunk
    // must reach the client well before the end (about 600 ms; 300 is generous).
    expect(got.chunks.length).toBeGreaterThanOrEqual(2);
    expect(got.endedAt - got.chunks[0]!.at).toBeGreaterThan(300);
    expect(got.chunks[0]!.text.startsWith('chunk0;')).toBe(true);
    expect(got.chunks[0]!.text).not.toContain('chunk2');
  });

  it('without a prelude answers 200 with the runtime’s content type (path form)', async () => {
    const got = await get(`/_nimbus/url/${urlIds.streamer}/?mode=raw`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.text).toBe('raw-done');
    expect(got.chunks[0]!.text).toBe('raw-');
  });

  it('cuts the stream short when the function fails mid-stream, and answers 502 when it fails before writing', async () => {
    const cut = await get(`/_nimbus/url/${urlIds.streamer}/?mode=fail`);
    expect(cut.status).toBe(200);
    expect(cut.text).toBe('partial');
    expect(cut.complete).toBe(false);
    const early = await get(`/_nimbus/url/${urlIds.streamer}/?mode=early`);
    expect(early.status).toBe(502);
    expect(early.text).toBe('Internal Server Error');
  });

  it('maps a non-streaming handler’s result as BUFFERED does', async () => {
    const got = await get(`/_nimbus/url/${urlIds.plainStream}/p`);
    expect(got.status).toBe(200);
    expect(got.text).toBe('buffered:/p');
  });
});

describe('unaffected', () => {
  it('a BUFFERED URL answers with Content-Length as before', async () => {
    const got = await get(`/_nimbus/url/${urlIds.plain}/b`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.headers['content-length']).toBe(String('buffered:/b'.length));
    expect(got.text).toBe('buffered:/b');
  });

  it('a plain Invoke returns the buffered payload', async () => {
    const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: 'plain', Payload: Buffer.from('{"rawPath":"/i"}') }));
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'buffered:/i' });
  });
});
