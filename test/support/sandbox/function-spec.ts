/** FunctionSpec values for sandbox tests. */
import type { HostInterpreters } from '../../../src/runtimes/catalogue.js';
import type { FunctionSpec, InvokeRequest } from '../../../src/sandbox/types.js';
import { randomUUID } from 'node:crypto';

/** Interpreters of the machine running the tests. */
export const TEST_HOST: HostInterpreters = { node: process.execPath, python3: '/usr/bin/python3' };

/** A spec for function `name`, overridable field by field. */
export function testSpec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  const name = overrides.functionName ?? 'fn';
  return {
    key: `${name}:$LATEST:r1`,
    functionName: name,
    accountId: '000000000000',
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    version: '$LATEST',
    runtime: 'provided.al2023',
    handler: 'function.handler',
    memorySize: 128,
    timeout: 3,
    ephemeralStorage: 512,
    environment: {},
    codeDir: '/code',
    layerDirs: [],
    logGroupName: `/aws/lambda/${name}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    endpointUrl: 'http://127.0.0.1:4566',
    ...overrides,
  };
}

/** An invocation of `payload` (JSON-encoded). */
export function testRequest(payload: unknown = {}, overrides: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    requestId: randomUUID(),
    payload: Buffer.from(JSON.stringify(payload)),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    tail: false,
    ...overrides,
  };
}
