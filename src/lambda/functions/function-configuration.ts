/**
 * The wire shape of a function version (FunctionConfiguration), built from its stored record.
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
 */
import { runtimeVersionOf } from '../../runtimes/catalogue.js';
import type { FunctionRecord } from '../store/function-store.js';
import type { Scope } from '../../shared/scope.js';
import { functionArn } from '../arn.js';
import { layersReference } from './function-layers.js';

/** Lambda's LastModified format: `2026-11-27T19:33:38.123+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * `arnQualifier` is the qualifier FunctionArn carries: by default a published version's number
 * and none for `$LATEST`; operations called with a qualifier echo the one the caller used
 * (`:$LATEST`, `:live`), as Lambda does; `null` forces the unqualified ARN.
 */
export function toFunctionConfiguration(
  r: FunctionRecord,
  p: Scope,
  arnQualifier: string | null = r.version === '$LATEST' ? null : r.version,
): Record<string, unknown> {
  return {
    FunctionName: r.name,
    FunctionArn: functionArn(p, r.name, arnQualifier ?? undefined),
    Runtime: r.runtime,
    Role: r.role,
    Handler: r.handler,
    CodeSize: r.codeSize,
    Description: r.description,
    Timeout: r.timeout,
    MemorySize: r.memorySize,
    LastModified: lambdaTimestamp(r.lastModified),
    CodeSha256: Buffer.from(r.codeSha256, 'hex').toString('base64'),
    Version: r.version,
    ...(Object.keys(r.environment).length > 0 ? { Environment: { Variables: { ...r.environment } } } : {}),
    TracingConfig: { Mode: r.tracingMode },
    RevisionId: r.revisionId,
    // Code is extracted before CreateFunction/UpdateFunctionCode return, so a stored function
    // is always ready to run: Active, and its last update Successful.
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: r.packageType,
    Architectures: [...r.architectures],
    EphemeralStorage: { Size: r.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionOf(p.region, r.runtime).arn },
    LoggingConfig: {
      LogFormat: r.logFormat,
      ...(r.logFormat === 'JSON'
        ? { ApplicationLogLevel: r.applicationLogLevel ?? 'INFO', SystemLogLevel: r.systemLogLevel ?? 'INFO' }
        : {}),
      LogGroup: r.logGroup,
    },
    ...(r.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: r.deadLetterTargetArn } } : {}),
    ...layersReference(r.layers),
  };
}
