/**
 * Server configuration, read once at the composition root from CLI options and NIMBUS_*
 * variables, then passed down as plain values: the platform's own settings (below) and each
 * service's, as its plugin record declares them (kit/options.ts). Defaults follow the local-AWS
 * convention so existing scripts work unchanged: port 4566, region us-east-1, account 000000000000.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { choiceOption, integerOption, resolveOptions, type OptionSpec, type OptionSpecs } from '../kit/options.js';
import type { AnyServicePlugin } from '../kit/plugin.js';
import { SERVICES } from './services.js';

/** The platform's settings (the services' own are in `services`). */
export interface PlatformSettings {
  host: string;
  port: number;
  accountId: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How long a once-per-cluster worker's lease lasts unless renewed. */
  leaseTtlMs: number;
}

export interface ServerConfig extends PlatformSettings {
  dataDir: string;
  /** The default region: of requests that carry none, and of the CLI. */
  region: string;
  /** Each service's settings, by its table name. */
  services: Record<string, unknown>;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const pattern = (o: Omit<OptionSpec<string>, 'parse'>, re: RegExp, what: string): OptionSpec<string> => ({
  ...o,
  parse(text) {
    if (!re.test(text)) throw new Error(`'${text}' is not ${what}`);
    return text;
  },
});

export const PLATFORM_OPTIONS: OptionSpecs<PlatformSettings> = {
  port: integerOption({ flag: '-p, --port <port>', env: 'NIMBUS_PORT', description: 'port for every API (default 4566)', default: 4566, min: 0, max: 65535 }),
  host: { flag: '--host <host>', env: 'NIMBUS_HOST', description: 'address to listen on (default 127.0.0.1)', default: '127.0.0.1', parse: (t) => t },
  accountId: pattern(
    { flag: '--account-id <id>', env: 'NIMBUS_ACCOUNT_ID', description: 'account id in ARNs (default 000000000000)', default: '000000000000' },
    /^\d{12}$/,
    'an account id (12 digits expected)',
  ),
  logLevel: choiceOption({
    flag: '--log-level <level>',
    env: 'NIMBUS_LOG_LEVEL',
    description: 'debug, info, warn or error (default info)',
    default: 'info',
    choices: ['debug', 'info', 'warn', 'error'],
  }),
  leaseTtlMs: integerOption({
    env: 'NIMBUS_LEASE_TTL_MS',
    description: "how long a once-per-cluster worker's lease lasts unless renewed, in ms (default 15000)",
    default: 15_000,
    min: 30,
  }),
};

/** The global flags the server takes from the `nimbus` command. */
export interface GlobalServerOptions {
  dataDir?: string;
  region?: string;
}

/** Merges flags over the environment over the defaults, for the platform and every service in `table`. */
export function resolveConfig(
  flags: Readonly<Record<string, unknown>> & GlobalServerOptions,
  env: NodeJS.ProcessEnv = process.env,
  table: readonly AnyServicePlugin[] = SERVICES,
): ServerConfig {
  const region = flags.region ?? env.NIMBUS_REGION ?? 'us-east-1';
  if (!REGION.test(region)) throw new Error(`invalid region: ${region}`);
  const services: Record<string, unknown> = {};
  for (const plugin of table) services[plugin.name] = resolveOptions(plugin.options, flags, env);
  return {
    ...resolveOptions(PLATFORM_OPTIONS, flags, env),
    dataDir: resolve(flags.dataDir ?? env.NIMBUS_DATA_DIR ?? join(homedir(), '.nimbus')),
    region,
    services,
  };
}

/** Every flag `nimbus server` takes, the platform's and the services', for the command table. */
export function serverFlags(table: readonly AnyServicePlugin[] = SERVICES): Array<{ flag: string; description: string }> {
  const specs = [PLATFORM_OPTIONS, ...table.map((p) => p.options)].flatMap((o) => Object.values(o) as OptionSpec<unknown>[]);
  return specs.filter((s) => s.flag !== undefined).map((s) => ({ flag: s.flag!, description: s.description }));
}
