/**
 * Stem cells (issue 3 item 5, decision 9) through the front door: a real sandboxed server, the
 * real SDK. After the first cold start of a runtime, the server holds a pre-started sandbox for
 * it; the next cold start of another function binds that cell. What is checked is that a bound
 * cell is that function's environment in every way a function can observe — its variables, its
 * code, its module paths, its limits, its read-only /var/task — and never anything of another.
 * On a host that cannot sandbox: fails on CI, skipped elsewhere, with the reason (security-suite.ts).
 */
import { CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, type Runtime } from '@aws-sdk/client-lambda';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_HOST } from '../support/sandbox/function-spec.js';
import { securitySuite } from '../support/security-suite.js';
import { removeDataDir, ROLE, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';
import { poll } from '../support/wait.js';
import { makeZip } from '../support/zip.js';
import { sandboxSupport } from '../../src/sandbox/bwrap/sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);

const NODE = `
const fs = require('fs');
const attempt = (fn) => { try { return { ok: true, value: fn() } } catch (e) { return { ok: false, code: e.code } } };
exports.handler = async (e) => {
  if (e.op === 'alloc') { const chunks = []; for (let i = 0; i < e.mb; i++) chunks.push(Buffer.alloc(1024 * 1024, 1)); return chunks.length; }
  return {
    name: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    mine: process.env.MINE,
    handler: process.env._HANDLER,
    dep: require('dep'),
    task: fs.readdirSync('/var/task').sort(),
    cwd: process.cwd(),
    argv: process.argv.slice(1),
    writeTask: attempt(() => fs.writeFileSync('/var/task/x', 'x')),
    tmp: fs.readdirSync('/tmp'),
    mark: attempt(() => fs.writeFileSync('/tmp/' + process.env.AWS_LAMBDA_FUNCTION_NAME, 'x')),
  };
};
`;

const PYTHON = `
import os, sys
def handler(event, context):
    import helper
    return {"name": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "mine": os.environ.get("MINE"), "helper": helper.VALUE,
            "argv": sys.argv, "cwd": os.getcwd(), "request": context.aws_request_id}
`;

let nimbus: NimbusProcess;

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${nimbus.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Waits until a cell of `runtime` is held, so that the next cold start binds it. */
async function cellReady(runtime: string): Promise<void> {
  await poll(async () => (await metric('nimbus_stem_cells', `runtime="${runtime}"`)) >= 1, 10_000, `a ${runtime} stem cell`);
}

async function deploy(name: string, runtime: Runtime, files: Record<string, string>, extra: Record<string, unknown> = {}) {
  await nimbus.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name, Runtime: runtime, Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Code: { ZipFile: await makeZip(files) }, Environment: { Variables: { MINE: `${name}-value` } }, ...extra,
    }),
  );
}

async function invoke(name: string, event: unknown = {}) {
  const out = await nimbus.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  return { error: out.FunctionError, json: JSON.parse(Buffer.from(out.Payload!).toString('utf8')) };
}

const nodeFiles = (dep: string) => ({ 'index.js': NODE, 'node_modules/dep/index.js': `module.exports = ${JSON.stringify(dep)};` });

securitySuite('stem cells', support.reason, () => {
  beforeAll(async () => {
    nimbus = await startNimbus({ args: ['--stem-cells', '2'] });
  }, 30_000);
  afterAll(async () => {
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
  });

  it('binds a held cell to the next cold start, which is that function and nothing else', async () => {
    await deploy('first', 'nodejs20.x', nodeFiles('first dep'));
    expect((await invoke('first')).json.name).toBe('first');
    // The first cold start found no cell and asked for one.
    expect(await metric('nimbus_stem_cell_cold_starts_total', 'outcome="missed"')).toBe(1);
    await cellReady('nodejs');

    await deploy('second', 'nodejs20.x', nodeFiles('second dep'), { MemorySize: 256 });
    const out = await invoke('second');
    expect(await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"')).toBe(1);
    expect(out.error).toBeUndefined();
    expect(out.json).toMatchObject({
      name: 'second',
      memory: '256',
      mine: 'second-value',
      handler: 'index.handler',
      // NODE_PATH applied after release: the function's own node_modules.
      dep: 'second dep',
      task: ['index.js', 'node_modules'],
      cwd: '/var/task',
      argv: ['/var/runtime/nodejs/bootstrap.mjs'],
      writeTask: { ok: false, code: 'EROFS' },
      tmp: [],
    });
    // Warm invokes go to the same environment, as with any other.
    expect((await invoke('second')).json.tmp).toEqual(['second']);
  }, 30_000);

  it("enforces the bound function's memory limit, not the cell's", async () => {
    await cellReady('nodejs');
    await deploy('hog', 'nodejs20.x', nodeFiles('hog'), { MemorySize: 128 });
    const before = await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"');
    const out = await invoke('hog', { op: 'alloc', mb: 400 });
    expect(await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"')).toBe(before + 1);
    expect(out.error).toBe('Unhandled');
    expect(out.json.errorType).toBe('Runtime.OutOfMemory');
  }, 30_000);

  it('binds Python cells too, with PYTHONPATH applied after release', async () => {
    await deploy('py-first', 'python3.12', { 'index.py': PYTHON, 'helper.py': 'VALUE = "first"\n' });
    expect((await invoke('py-first')).json.helper).toBe('first');
    await cellReady('python');
    await deploy('py-second', 'python3.12', { 'index.py': PYTHON, 'helper.py': 'VALUE = "second"\n' });
    const before = await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"');
    const out = await invoke('py-second');
    expect(await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"')).toBe(before + 1);
    expect(out.json).toMatchObject({ name: 'py-second', mine: 'py-second-value', helper: 'second', argv: ['/var/runtime/python/bootstrap.py'], cwd: '/var/task' });
  }, 30_000);

  it('binds functions with layers too: the merged layers show at /opt, their modules resolve', async () => {
    const layer = async (name: string, value: string) =>
      (await nimbus.lambda.send(
        new PublishLayerVersionCommand({
          LayerName: name,
          Content: { ZipFile: await makeZip({ 'nodejs/node_modules/shared/index.js': `module.exports = ${JSON.stringify(value)};`, 'bin/tool': '#!/bin/sh\necho tool\n' }) },
        }),
      )).LayerVersionArn!;
    const code = { 'index.js': "exports.handler = async () => ({ shared: require('shared'), opt: require('fs').readdirSync('/opt').sort(), path: process.env.PATH });" };
    // The first function with layers starts the layered family's demand; the second binds its
    // cell. Cells of the plain family are counted under the same runtime: settle them first.
    const held = await poll(async () => {
      const a = await metric('nimbus_stem_cells', 'runtime="nodejs"');
      await new Promise((ok) => setTimeout(ok, 400));
      return a === (await metric('nimbus_stem_cells', 'runtime="nodejs"')) && { a };
    }, 10_000, 'the plain family to hold steady');
    await deploy('layered-first', 'nodejs20.x', code, { Layers: [await layer('one', 'from layer one')] });
    expect((await invoke('layered-first')).json.shared).toBe('from layer one');
    await poll(async () => (await metric('nimbus_stem_cells', 'runtime="nodejs"')) > held.a, 10_000, 'a cell for the layered family');
    const before = await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"');
    await deploy('layered-second', 'nodejs20.x', code, { Layers: [await layer('two', 'from layer two')] });
    const out = await invoke('layered-second');
    expect(await metric('nimbus_stem_cell_cold_starts_total', 'outcome="bound"')).toBe(before + 1);
    expect(out.json).toMatchObject({ shared: 'from layer two', opt: ['bin', 'nodejs'] });
    expect(out.json.path).toContain('/opt/bin');
  }, 30_000);

  it('gives cells back on shutdown: no cell directory or sandbox is left', async () => {
    await cellReady('nodejs');
    const dataDir = nimbus.dataDir;
    expect(await nimbus.stop()).toBe(0);
    const cells = join(dataDir, 'cells');
    const left = readdirSync(cells).flatMap((server) => readdirSync(join(cells, server)));
    expect(left).toEqual([]);
    // Nor any disk /tmp image (decision 11), when this host makes them.
    expect(existsSync(join(dataDir, 'tmp')) ? readdirSync(join(dataDir, 'tmp')) : []).toEqual([]);
  }, 30_000);
});
