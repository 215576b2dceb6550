import { describe, expect, it } from 'vitest';
import { findRuntime, NODE_BOOTSTRAP, RUNTIME_DIR } from '../../runtimes/catalogue.js';
import { hostView } from '../environment-view.js';
import { TEST_HOST, testSpec } from '../../../test/support/sandbox/function-spec.js';
import { environmentVariables, RESERVED_VARIABLES } from './environment-variables.js';
import { logStreamName } from '../logs/log-stream-name.js';
import type { FunctionSpec } from '../types.js';
import { dirname } from 'node:path';

const host = { node: '/opt/node/bin/node', python3: '/usr/bin/python3' };

function build(spec: FunctionSpec) {
  const runtime = findRuntime(spec.runtime)!;
  const view = hostView({ codeDir: spec.codeDir, layerDirs: spec.layerDirs, runtimeDir: RUNTIME_DIR }, host, '127.0.0.1:9001');
  return environmentVariables({
    spec,
    runtime,
    view,
    argv: runtime.command(view),
    logStreamName: '2024/01/15/[$LATEST]0123456789abcdef0123456789abcdef',
  });
}

describe('environmentVariables', () => {
  it('builds the standard Lambda set', () => {
    const env = build(
      testSpec({
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        memorySize: 256,
        version: '7',
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'ST' },
      }),
    );
    expect(env).toMatchObject({
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: '/code',
      LAMBDA_RUNTIME_DIR: dirname(NODE_BOOTSTRAP),
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      AWS_LAMBDA_FUNCTION_VERSION: '7',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn',
      AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/15/[$LATEST]0123456789abcdef0123456789abcdef',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      NODE_PATH: '/code/node_modules:/code',
      AWS_ACCESS_KEY_ID: 'AK',
      AWS_SECRET_ACCESS_KEY: 'SK',
      AWS_SESSION_TOKEN: 'ST',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    expect(env.PATH!.split(':').slice(0, 4)).toEqual(['/opt/node/bin', '/usr/bin', '/usr/local/bin', '/bin']);
    expect(env.LD_LIBRARY_PATH).toContain('/code/lib');
  });

  it('inherits nothing from the server: every key is one Lambda defines', () => {
    const env = build(testSpec({ credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' } }));
    const lambdaKeys = new Set([...RESERVED_VARIABLES, 'PATH', 'LANG', 'TZ', 'LD_LIBRARY_PATH', 'AWS_ENDPOINT_URL']);
    expect(Object.keys(env).filter((k) => !lambdaKeys.has(k))).toEqual([]);
  });

  it('omits AWS_EXECUTION_ENV where Lambda has none, and sets an empty session token without one', () => {
    const env = build(testSpec({ runtime: 'provided.al2023' }));
    expect(env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBe('');
    expect(env.LAMBDA_RUNTIME_DIR).toBe('/code');
  });

  it('lets the function extend unreserved variables but never override reserved ones', () => {
    const env = build(
      testSpec({
        runtime: 'python3.12',
        environment: {
          MY_SETTING: 'on',
          LANG: 'C.UTF-8',
          PYTHONPATH: '/mine',
          AWS_LAMBDA_RUNTIME_API: '10.0.0.1:1',
          AWS_ACCESS_KEY_ID: 'stolen',
          _HANDLER: 'evil.handler',
          TZ: 'Europe/Paris',
        },
      }),
    );
    expect(env.MY_SETTING).toBe('on');
    expect(env.LANG).toBe('C.UTF-8');
    expect(env.PYTHONPATH).toBe('/mine');
    expect(env.AWS_LAMBDA_RUNTIME_API).toBe('127.0.0.1:9001');
    expect(env.AWS_ACCESS_KEY_ID).toBe('AKIDTEST');
    expect(env._HANDLER).toBe('function.handler');
    expect(env.TZ).toBe('Europe/Paris');
  });

  it('adds layer bin and lib directories', () => {
    const env = build(testSpec({ layerDirs: ['/layers/a', '/layers/b'] }));
    expect(env.PATH!.split(':').slice(-2)).toEqual(['/layers/a/bin', '/layers/b/bin']);
    expect(env.LD_LIBRARY_PATH!.split(':').slice(-2)).toEqual(['/layers/a/lib', '/layers/b/lib']);
  });

  it('reserves what AWS reserves', () => {
    for (const k of ['_HANDLER', 'AWS_REGION', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'AWS_SESSION_TOKEN']) {
      expect(RESERVED_VARIABLES.has(k)).toBe(true);
    }
    for (const k of ['PATH', 'LANG', 'LD_LIBRARY_PATH', 'NODE_PATH', 'PYTHONPATH', 'AWS_ENDPOINT_URL', 'TZ']) {
      expect(RESERVED_VARIABLES.has(k)).toBe(false);
    }
  });

  it('resolves interpreters from the host (test host sanity)', () => {
    expect(build(testSpec({ runtime: 'nodejs20.x' })).PATH).toContain(dirname(host.node));
    expect(TEST_HOST.node).toBe(process.execPath);
  });
});

describe('logStreamName', () => {
  it('is dated in UTC and names the version', () => {
    expect(logStreamName(Date.UTC(2024, 1, 3, 23, 59), '$LATEST', 'ab'.repeat(16))).toBe(`2024/02/03/[$LATEST]${'ab'.repeat(16)}`);
    expect(logStreamName(Date.UTC(2024, 11, 31), '12', 'f'.repeat(32))).toBe(`2024/12/31/[12]${'f'.repeat(32)}`);
  });
});
