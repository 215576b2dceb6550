/**
 * Server configuration, read once at the composition root from CLI options and NIMBUS_*
 * variables, then passed down as plain values. Defaults follow the local-AWS convention so
 * existing scripts work unchanged: port 4566, region us-east-1, account 000000000000.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { otlpTracesUrl } from '../observe/tracing/otlp-exporter.js';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  region: string;
  accountId: string;
  /** How long an idle execution environment is kept warm. */
  keepAliveMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How functions are isolated: `auto` sandboxes and refuses to start when it cannot. */
  sandbox: SandboxMode;
  /** The account concurrency limit (AWS's default is 1,000). */
  concurrencyLimit: number;
  /** Asynchronous invocation: back-off before the first retry of a function error (AWS: ~1 min). */
  asyncRetryBaseMs: number;
  /** Asynchronous events this node runs at once. */
  asyncMaxInFlight: number;
  /** New on-demand environments one function may add per 10 seconds (AWS: 1,000). */
  scaleUpRate: number;
  /** How often CloudWatch alarms are evaluated (NIMBUS_ALARM_EVALUATION_MS; CloudWatch: each minute). */
  alarmEvaluationMs: number;
  /** Where invocation spans go over OTLP/HTTP (NIMBUS_OTLP_ENDPOINT, read as OTEL_EXPORTER_OTLP_ENDPOINT is); unset: none are recorded. */
  otlpTracesUrl?: string;
  /** Most stem cells (pre-started sandboxes, decision 9) per runtime family; 0 turns them off. */
  stemCells: number;
  /** Sandboxes' network beyond their own loopback: the internet through slirp4netns (decision 10), or none. */
  egress: 'internet' | 'none';
}

/** `auto`: bubblewrap when it works here, else refuse to start; `none`: plain processes. */
export type SandboxMode = 'auto' | 'bwrap' | 'none';

export interface ServerOptions {
  host?: string;
  port?: string | number;
  dataDir?: string;
  region?: string;
  accountId?: string;
  keepAlive?: string | number;
  logLevel?: string;
  sandbox?: string;
  concurrencyLimit?: string | number;
  scaleUpRate?: string | number;
  stemCells?: string | number;
  egress?: string;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;

/** Merges options over the environment over the defaults, and checks the result. */
export function resolveConfig(options: ServerOptions, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(options.port ?? env.NIMBUS_PORT ?? 4566);
  const region = options.region ?? env.NIMBUS_REGION ?? 'us-east-1';
  const accountId = options.accountId ?? env.NIMBUS_ACCOUNT_ID ?? '000000000000';
  const keepAliveSeconds = Number(options.keepAlive ?? env.NIMBUS_KEEP_ALIVE_SECONDS ?? 600);
  const logLevel = (options.logLevel ?? env.NIMBUS_LOG_LEVEL ?? 'info') as ServerConfig['logLevel'];
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${options.port}`);
  if (!REGION.test(region)) throw new Error(`invalid region: ${region}`);
  if (!ACCOUNT.test(accountId)) throw new Error(`invalid account id (12 digits expected): ${accountId}`);
  if (!Number.isFinite(keepAliveSeconds) || keepAliveSeconds <= 0) throw new Error(`invalid keep-alive: ${options.keepAlive}`);
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new Error(`invalid log level: ${logLevel}`);
  const sandbox = (options.sandbox ?? env.NIMBUS_SANDBOX ?? 'auto') as SandboxMode;
  if (!['auto', 'bwrap', 'none'].includes(sandbox)) throw new Error(`invalid sandbox mode (auto, bwrap or none): ${sandbox}`);
  const concurrencyLimit = Number(options.concurrencyLimit ?? env.NIMBUS_CONCURRENCY_LIMIT ?? 1000);
  // AWS keeps 100 unreserved, so a smaller account limit could never run anything reserved.
  if (!Number.isInteger(concurrencyLimit) || concurrencyLimit < 100) throw new Error(`invalid concurrency limit (100 or more): ${concurrencyLimit}`);
  const asyncRetryBaseMs = Number(env.NIMBUS_ASYNC_RETRY_BASE_MS ?? 60_000);
  if (!Number.isFinite(asyncRetryBaseMs) || asyncRetryBaseMs < 0) throw new Error(`invalid NIMBUS_ASYNC_RETRY_BASE_MS: ${asyncRetryBaseMs}`);
  const asyncMaxInFlight = Number(env.NIMBUS_ASYNC_MAX_IN_FLIGHT ?? 16);
  if (!Number.isInteger(asyncMaxInFlight) || asyncMaxInFlight < 1) throw new Error(`invalid NIMBUS_ASYNC_MAX_IN_FLIGHT: ${asyncMaxInFlight}`);
  const scaleUpRate = Number(options.scaleUpRate ?? env.NIMBUS_SCALE_UP_RATE ?? 1000);
  if (!Number.isInteger(scaleUpRate) || scaleUpRate < 1) throw new Error(`invalid scale-up rate (1 or more): ${scaleUpRate}`);
  const alarmEvaluationMs = Number(env.NIMBUS_ALARM_EVALUATION_MS ?? 60_000);
  if (!Number.isInteger(alarmEvaluationMs) || alarmEvaluationMs < 10) throw new Error(`invalid NIMBUS_ALARM_EVALUATION_MS (10 or more): ${alarmEvaluationMs}`);
  const stemCells = Number(options.stemCells ?? env.NIMBUS_STEM_CELLS ?? 4);
  if (!Number.isInteger(stemCells) || stemCells < 0 || stemCells > 64) throw new Error(`invalid stem cell count (0 to 64): ${stemCells}`);
  const otlpTraces = env.NIMBUS_OTLP_ENDPOINT ? otlpTracesUrl(env.NIMBUS_OTLP_ENDPOINT) : undefined;
  const egress = (options.egress ?? env.NIMBUS_EGRESS ?? 'internet') as ServerConfig['egress'];
  if (egress !== 'internet' && egress !== 'none') throw new Error(`invalid egress (internet or none): ${egress}`);
  return {
    host: options.host ?? env.NIMBUS_HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(options.dataDir ?? env.NIMBUS_DATA_DIR ?? join(homedir(), '.nimbus')),
    region,
    accountId,
    keepAliveMs: keepAliveSeconds * 1000,
    logLevel,
    sandbox,
    concurrencyLimit,
    asyncRetryBaseMs,
    asyncMaxInFlight,
    scaleUpRate,
    alarmEvaluationMs,
    ...(otlpTraces !== undefined ? { otlpTracesUrl: otlpTraces } : {}),
    stemCells,
    egress,
  };
}
