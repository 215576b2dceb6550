// @ts-check
/**
 * Lambda's console: every `console.*` call becomes one log record on stdout, as AWS's Node.js
 * runtime writes it (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html):
 *
 *   Text (default):  `<ISO time>\t<request id>\t<LEVEL>\t<util.format(...)>`
 *   JSON:            `{"timestamp","level","requestId","message",...}`  (AWS_LAMBDA_LOG_FORMAT=JSON)
 *
 * Newlines inside a record become "\r", so one call is one line and the log collector never
 * splits a stack trace into several events. Before the first invoke the request id is
 * "undefined", as on AWS. AWS_LAMBDA_LOG_LEVEL drops records below that level.
 */
import { format } from 'node:util';

// The same global slot AWS's runtime uses, so tools that read it keep working.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');

/** @typedef {{ name: string, priority: number }} Level */
const LEVELS = Object.freeze({
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
});

/** @param {string | undefined} id */
export function setRequestId(id) {
  /** @type {any} */ (globalThis)[REQUEST_ID] = id;
}

/**
 * @param {Level} level
 * @param {unknown[]} params
 */
function writeText(level, params) {
  const message = format(...params);
  const line = `${new Date().toISOString()}\t${/** @type {any} */ (globalThis)[REQUEST_ID]}\t${level.name}\t${message}`;
  process.stdout.write(`${line.replaceAll('\n', '\r')}\n`);
}

/**
 * @param {Level} level
 * @param {unknown[]} params
 */
function writeJson(level, params) {
  /** @type {Record<string, unknown>} */
  const record = { timestamp: new Date().toISOString(), level: level.name, requestId: /** @type {any} */ (globalThis)[REQUEST_ID] };
  let line;
  if (params.length === 1) {
    record.message = params[0];
    try {
      line = JSON.stringify(record, errorReplacer);
    } catch {
      record.message = format(params[0]);
      line = JSON.stringify(record);
    }
  } else {
    record.message = format(...params);
    const error = params.find((p) => p instanceof Error);
    if (error instanceof Error) {
      record.errorType = error.constructor?.name ?? 'UnknownError';
      record.errorMessage = error.message;
      record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
    }
    line = JSON.stringify(record);
  }
  process.stdout.write(`${line.replaceAll('\n', '\r')}\n`);
}

/**
 * @param {string} _key
 * @param {unknown} value
 */
function errorReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    {
      errorType: value.constructor?.name ?? 'UnknownError',
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    },
    value,
  );
}

/**
 * Replaces console.trace/debug/info/log/warn/error (and adds console.fatal).
 * @param {NodeJS.ProcessEnv} env
 */
export function patchConsole(env) {
  const write = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON' ? writeJson : writeText;
  const threshold = /** @type {Record<string, Level>} */ (LEVELS)[env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? ''] ?? LEVELS.TRACE;
  /**
   * AWS's signature is (message, ...params): a bare `console.log()` prints "undefined".
   * @param {Level} level
   */
  const logger = (level) =>
    level.priority >= threshold.priority
      ? (/** @type {unknown} */ message, /** @type {unknown[]} */ ...params) => write(level, [message, ...params])
      : () => {};
  const c = /** @type {any} */ (console);
  c.trace = logger(LEVELS.TRACE);
  c.debug = logger(LEVELS.DEBUG);
  c.info = logger(LEVELS.INFO);
  c.log = c.info;
  c.warn = logger(LEVELS.WARN);
  c.error = logger(LEVELS.ERROR);
  c.fatal = (/** @type {unknown} */ message, /** @type {unknown[]} */ ...params) => write(LEVELS.FATAL, [message, ...params]);
}
