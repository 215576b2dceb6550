/**
 * Lambda's own checks on a function's settings, beyond what the service model's constraints
 * express (those are checked generically at the edge). Messages follow AWS's wording.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
import { RUNTIMES, findRuntime } from '../../runtimes/catalogue.js';
import { RESERVED_VARIABLES } from '../../sandbox/environment/environment-variables.js';
import { LambdaErrors } from '../lambda-errors.js';

export const LIMITS = {
  /** Zipped deployment package uploaded directly (50 MB). */
  zipBytes: 50 * 1024 * 1024,
  /** Base64-encoded request size AWS quotes for a too-large direct upload. */
  zipRequestBytes: 69_905_067,
  /** Unzipped function code, layers included (250 MB). */
  unzippedBytes: 262_144_000,
  /** Entries in one package; AWS sets none explicitly, this guards the host. */
  zipEntries: 100_000,
  /** Environment variables, serialized (4 KB). */
  environmentBytes: 4096,
  /** Synchronous invocation payload, request and response (6 MB). */
  syncPayloadBytes: 6 * 1024 * 1024,
  /** Asynchronous invocation payload (1 MB). */
  asyncPayloadBytes: 1024 * 1024,
  /** ClientContext, base64-decoded JSON. */
  clientContextBytes: 3583,
  maxTimeout: 900,
  /** The model allows more; Nimbus's functions get 128 MB to 10,240 MB, as the Lambda guide says. */
  maxMemorySize: 10_240,
  totalCodeSize: 80_530_636_800,
} as const;


export function checkRuntime(runtime: string): void {
  if (!findRuntime(runtime)) {
    throw LambdaErrors.invalidParameter(
      `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ` +
        `[${Object.keys(RUNTIMES).join(', ')}] or be a valid ARN`,
    );
  }
}

export function checkTimeout(timeout: number): void {
  if (timeout > LIMITS.maxTimeout) {
    throw LambdaErrors.invalidParameter(
      `Value ${timeout} at 'timeout' failed to satisfy constraint: Member must have value less than or equal to ${LIMITS.maxTimeout}`,
    );
  }
}

export function checkMemorySize(memorySize: number): void {
  if (memorySize > LIMITS.maxMemorySize) {
    throw LambdaErrors.invalidParameter(
      `Value ${memorySize} at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to ${LIMITS.maxMemorySize}`,
    );
  }
}

export function checkEnvironment(variables: Record<string, string>): void {
  const serialized = JSON.stringify(variables);
  if (Buffer.byteLength(serialized) > LIMITS.environmentBytes) {
    throw LambdaErrors.invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
        `exceeded the 4KB limit. String measured: ${serialized}`,
    );
  }
  const reserved = Object.keys(variables).filter((k) => RESERVED_VARIABLES.has(k));
  if (reserved.length > 0) {
    throw LambdaErrors.invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
        `contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
}

/** Settings Nimbus does not run yet: refused loudly rather than silently ignored. */
export function checkUnsupported(input: Record<string, any>): void {
  if (input.PackageType === 'Image' || input.Code?.ImageUri) {
    throw LambdaErrors.invalidParameter('Nimbus runs .zip deployment packages only; PackageType Image is not supported.');
  }
  if (input.VpcConfig?.SubnetIds?.length || input.FileSystemConfigs?.length) {
    throw LambdaErrors.invalidParameter('VPC and file system configurations are not supported by Nimbus.');
  }
}
