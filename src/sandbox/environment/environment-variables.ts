/**
 * The variables a function's process starts with: Lambda's standard set, the runtime's own
 * (NODE_PATH, PYTHONPATH, AWS_EXECUTION_ENV), then the function's Environment.Variables, which
 * may extend or override the unreserved ones but never the reserved ones.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { dirname, join } from 'node:path';
import type { RuntimeDefinition } from '../../runtimes/catalogue.js';
import type { EnvironmentView } from '../environment-view.js';
import type { FunctionSpec } from '../types.js';

/**
 * Keys AWS does not let a function set. CreateFunction rejects them already; they are filtered
 * here again so that a bad record can never redirect the Runtime API or swap credentials.
 */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** What the variables are built from. */
export interface EnvironmentVariablesInput {
  spec: FunctionSpec;
  runtime: RuntimeDefinition;
  /** Paths and Runtime API address as the environment's processes see them. */
  view: EnvironmentView;
  /** The process the runtime starts (from the catalogue); its directory is LAMBDA_RUNTIME_DIR. */
  argv: readonly string[];
  logStreamName: string;
}

/** Builds the complete environment of a runtime process (nothing else is inherited). */
export function environmentVariables(input: EnvironmentVariablesInput): Record<string, string> {
  const { spec, runtime, view } = input;
  const { host, taskRoot, layerRoots } = view;
  const runtimeDir = dirname(input.argv[input.argv.length - 1] ?? taskRoot);
  const runtimeEnv = runtime.env(view);

  // Unreserved defaults: the function may extend or replace these.
  const env: Record<string, string> = {
    LANG: 'en_US.UTF-8',
    // Lambda's default; unlike the AWS_* set, TZ is one a function may set (AWS lists it unreserved).
    TZ: ':UTC',
    // Lambda's PATH is /var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin; unsandboxed, the
    // host interpreters' directories stand in for /var/lang/bin so `node`/`python3` resolve.
    PATH: unique([
      dirname(host.node),
      dirname(host.python3),
      '/usr/local/bin',
      '/usr/bin',
      '/bin',
      ...layerRoots.map((d) => join(d, 'bin')),
    ]).join(':'),
    LD_LIBRARY_PATH: unique([
      '/lib64',
      '/usr/lib64',
      runtimeDir,
      join(runtimeDir, 'lib'),
      taskRoot,
      join(taskRoot, 'lib'),
      ...layerRoots.map((d) => join(d, 'lib')),
    ]).join(':'),
  };
  if (spec.endpointUrl) env.AWS_ENDPOINT_URL = spec.endpointUrl;
  for (const [k, v] of Object.entries(runtimeEnv)) if (!RESERVED_VARIABLES.has(k)) env[k] = v;

  for (const [k, v] of Object.entries(spec.environment)) {
    if (!RESERVED_VARIABLES.has(k)) env[k] = v;
  }

  // Reserved: applied last so nothing above can change them.
  env._HANDLER = spec.handler;
  env.AWS_LAMBDA_RUNTIME_API = view.runtimeApi;
  env.LAMBDA_TASK_ROOT = taskRoot;
  env.LAMBDA_RUNTIME_DIR = runtimeDir;
  env.AWS_LAMBDA_FUNCTION_NAME = spec.functionName;
  env.AWS_LAMBDA_FUNCTION_VERSION = spec.version;
  env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = String(spec.memorySize);
  env.AWS_LAMBDA_LOG_GROUP_NAME = spec.logGroupName;
  env.AWS_LAMBDA_LOG_STREAM_NAME = input.logStreamName;
  env.AWS_LAMBDA_INITIALIZATION_TYPE = spec.initializationType ?? 'on-demand';
  // LoggingConfig: set by Lambda only for the JSON format (the runtimes read them).
  if (spec.logFormat === 'JSON') {
    env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    env.AWS_LAMBDA_LOG_LEVEL = spec.applicationLogLevel ?? 'INFO';
  }
  env.AWS_REGION = spec.region;
  env.AWS_DEFAULT_REGION = spec.region;
  env.AWS_ACCESS_KEY_ID = spec.credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = spec.credentials.secretAccessKey;
  // Lambda always sets it (execution roles give session credentials). Until roles exist the
  // credentials are long-term and the token is empty, which every SDK reads as "no token".
  env.AWS_SESSION_TOKEN = spec.credentials.sessionToken ?? '';
  // Not set for OS-only (provided*) runtimes, as on Lambda: the catalogue entry decides.
  if (runtimeEnv.AWS_EXECUTION_ENV) env.AWS_EXECUTION_ENV = runtimeEnv.AWS_EXECUTION_ENV;
  return env;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
