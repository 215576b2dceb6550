/**
 * Lambda's settings: `nimbus server` flags and NIMBUS_* variables (kit/options.ts), read once
 * at the composition root. Defaults are AWS's where AWS has one.
 */
import { otlpTracesUrl } from '../observe/tracing/spans/otlp-exporter.js';
import { choiceOption, integerOption, type OptionSpec, type OptionSpecs } from '../kit/options.js';
import type { SandboxMode } from './environments/sandbox-choice.js';

export interface LambdaOptions {
  sandbox: SandboxMode;
  /** Seconds an idle environment is kept warm. */
  keepAlive: number;
  concurrencyLimit: number;
  scaleUpRate: number;
  stemCells: number;
  egress: 'internet' | 'none';
  asyncRetryBaseMs: number;
  asyncMaxInFlight: number;
  /** The python3 our Python runtimes run on. */
  python: string;
  /** Where invocation spans go over OTLP/HTTP; empty: none are recorded. */
  otlpEndpoint: string;
}

const text = (o: Omit<OptionSpec<string>, 'parse'>, parse: (t: string) => string = (t) => t): OptionSpec<string> => ({ ...o, parse });

export const LAMBDA_OPTIONS: OptionSpecs<LambdaOptions> = {
  sandbox: choiceOption({
    flag: '--sandbox <mode>',
    env: 'NIMBUS_SANDBOX',
    description: 'auto (bubblewrap + cgroups, refuse to start without), bwrap, or none (functions NOT isolated) (default auto)',
    default: 'auto',
    choices: ['auto', 'bwrap', 'none'],
  }),
  keepAlive: integerOption({
    flag: '--keep-alive <seconds>',
    env: 'NIMBUS_KEEP_ALIVE_SECONDS',
    description: 'how long idle environments stay warm (default 600)',
    default: 600,
    min: 1,
  }),
  concurrencyLimit: integerOption({
    flag: '--concurrency-limit <n>',
    env: 'NIMBUS_CONCURRENCY_LIMIT',
    // AWS keeps 100 unreserved, so a smaller account limit could never run anything reserved.
    description: 'account concurrency limit per region, 100 or more (default 1000)',
    default: 1000,
    min: 100,
  }),
  scaleUpRate: integerOption({
    flag: '--scale-up-rate <n>',
    env: 'NIMBUS_SCALE_UP_RATE',
    description: 'new environments one function may add per 10 seconds (default 1000)',
    default: 1000,
    min: 1,
  }),
  stemCells: integerOption({
    flag: '--stem-cells <n>',
    env: 'NIMBUS_STEM_CELLS',
    description: 'most pre-started sandboxes kept per runtime, 0 for none (default 4)',
    default: 4,
    min: 0,
    max: 64,
  }),
  egress: choiceOption({
    flag: '--egress <mode>',
    env: 'NIMBUS_EGRESS',
    description: 'sandboxes reach the internet (through slirp4netns, as root) or none (default internet)',
    default: 'internet',
    choices: ['internet', 'none'],
  }),
  asyncRetryBaseMs: integerOption({
    env: 'NIMBUS_ASYNC_RETRY_BASE_MS',
    description: 'first retry delay of an asynchronous function error, in ms; doubles after (default 60000)',
    default: 60_000,
    min: 0,
  }),
  asyncMaxInFlight: integerOption({
    env: 'NIMBUS_ASYNC_MAX_IN_FLIGHT',
    description: 'asynchronous events this node runs at once (default 16)',
    default: 16,
    min: 1,
  }),
  python: text({ env: 'NIMBUS_PYTHON', description: 'the python3 Python runtimes run on (default python3 on PATH)', default: 'python3' }),
  otlpEndpoint: text(
    {
      env: 'NIMBUS_OTLP_ENDPOINT',
      description: 'OTLP/HTTP collector for invocation traces (a base URL gets /v1/traces appended) (default: none)',
      default: '',
    },
    (t) => (t === '' ? '' : otlpTracesUrl(t)),
  ),
};
