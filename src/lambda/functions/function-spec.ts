/** Turns a stored function version into the plain FunctionSpec the sandbox runs. */
import type { FunctionSpec } from '../../sandbox/types.js';
import type { FunctionRecord } from '../store/function-store.js';
import type { Scope } from '../../shared/scope.js';
import { functionArn } from '../arn.js';

export interface SpecContext {
  scope: Scope;
  codeDir: (sha256Hex: string) => string;
  /** The merged /opt of an ordered list of layers (built when the function was configured). */
  layerTreeDir: (sha256Hexes: readonly string[]) => string;
  /** Credentials handed to functions (the execution role's, once roles exist). */
  credentials: FunctionSpec['credentials'];
  /** How functions reach Nimbus's own APIs (AWS_ENDPOINT_URL). */
  endpointUrl: () => string;
}

export function toFunctionSpec(r: FunctionRecord, ctx: SpecContext): FunctionSpec {
  return {
    // The scope is part of the key: same-named functions of two regions never share an environment.
    key: `${ctx.scope.accountId}:${ctx.scope.region}:${r.name}:${r.version}:${r.revisionId}`,
    functionName: r.name,
    accountId: ctx.scope.accountId,
    functionArn: functionArn(ctx.scope, r.name),
    version: r.version,
    runtime: r.runtime,
    handler: r.handler,
    memorySize: r.memorySize,
    timeout: r.timeout,
    ephemeralStorage: r.ephemeralStorage,
    environment: { ...r.environment },
    codeDir: ctx.codeDir(r.codeSha256),
    layerDirs: r.layers?.length ? [ctx.layerTreeDir(r.layers.map((l) => l.codeSha256))] : [],
    logGroupName: r.logGroup,
    region: ctx.scope.region,
    credentials: ctx.credentials,
    endpointUrl: ctx.endpointUrl(),
    logFormat: r.logFormat,
    ...(r.applicationLogLevel ? { applicationLogLevel: r.applicationLogLevel } : {}),
    ...(r.systemLogLevel ? { systemLogLevel: r.systemLogLevel } : {}),
  };
}
