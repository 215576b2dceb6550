import { describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../launcher.js';
import { isStartupVariable, stemCellFamilyOf } from './stem-cell-family.js';

function spec(over: Partial<LaunchSpec> & { env?: Record<string, string> } = {}): LaunchSpec {
  return {
    argv: ['/usr/bin/node', '/var/runtime/nodejs/bootstrap.mjs'],
    stemArgv: ['/usr/bin/node', '/var/runtime/nodejs/stem.mjs'],
    cwd: '/var/task',
    mounts: { codeDir: '/data/code/abc', layerDirs: [], runtimeDir: '/srv/runtimes' },
    limits: { memoryMb: 128, tmpMb: 512, pids: 1024, vcpus: 128 / 1769 },
    endpoint: '/tmp/run/e.sock',
    ...over,
    env: {
      PATH: '/usr/local/bin:/usr/bin',
      TZ: ':UTC',
      NODE_PATH: '/var/task/node_modules:/var/task',
      AWS_LAMBDA_FUNCTION_NAME: 'a',
      _HANDLER: 'index.handler',
      AWS_SECRET_ACCESS_KEY: 'secret',
      ...over.env,
    },
  };
}

describe('stemCellFamilyOf', () => {
  it('shares one family between functions that differ only in what the shim applies after release', () => {
    const a = stemCellFamilyOf(spec())!;
    const b = stemCellFamilyOf(spec({ env: { AWS_LAMBDA_FUNCTION_NAME: 'b', NODE_PATH: '/opt/nodejs/node_modules', MY_FLAG: '1' }, limits: { memoryMb: 2048, tmpMb: 512, pids: 1024, vcpus: 1.2 } }))!;
    expect(a.key).toBe(b.key);
    expect(a.argv).toEqual(['/usr/bin/node', '/var/runtime/nodejs/stem.mjs']);
  });

  it('carries only start-up variables into a cell: nothing of any function, no credentials', () => {
    expect(stemCellFamilyOf(spec())!.env).toEqual({ PATH: '/usr/local/bin:/usr/bin', TZ: ':UTC' });
  });

  it('separates functions whose start-up differs: NODE_OPTIONS, the locale, /tmp size', () => {
    const base = stemCellFamilyOf(spec())!.key;
    expect(stemCellFamilyOf(spec({ env: { NODE_OPTIONS: '--enable-source-maps' } }))!.key).not.toBe(base);
    expect(stemCellFamilyOf(spec({ env: { LC_ALL: 'C.UTF-8' } }))!.key).not.toBe(base);
    expect(stemCellFamilyOf(spec({ limits: { memoryMb: 128, tmpMb: 1024, pids: 1024, vcpus: 0.1 } }))!.key).not.toBe(base);
  });

  it('has no family for a runtime without a shim', () => {
    expect(stemCellFamilyOf(spec({ stemArgv: undefined }))).toBeUndefined();
  });

  it('serves functions with layers from a family of their own: their PATH and LD_LIBRARY_PATH name /opt', () => {
    const layered = (name: string) =>
      stemCellFamilyOf(
        spec({
          mounts: { codeDir: `/data/code/${name}`, layerDirs: [`/data/code/opt-${name}`], runtimeDir: '/srv/runtimes' },
          env: { PATH: '/usr/local/bin:/usr/bin:/opt/bin', LD_LIBRARY_PATH: '/var/task/lib:/opt/lib', AWS_LAMBDA_FUNCTION_NAME: name },
        }),
      )!;
    expect(layered('a').key).toBe(layered('b').key);
    expect(layered('a').key).not.toBe(stemCellFamilyOf(spec())!.key);
  });

  it('treats interpreter and libc variables as start-up ones, and the module paths as applied later', () => {
    for (const name of ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'PYTHONHASHSEED', 'LD_PRELOAD', 'UV_THREADPOOL_SIZE', 'LANG', 'LC_ALL']) {
      expect(isStartupVariable(name), name).toBe(true);
    }
    for (const name of ['NODE_PATH', 'PYTHONPATH', '_HANDLER', 'AWS_REGION', 'MY_VAR']) expect(isStartupVariable(name), name).toBe(false);
  });
});
