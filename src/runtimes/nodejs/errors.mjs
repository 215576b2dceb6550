// @ts-check
/**
 * Error types and error serialization of the Node.js runtime client, as AWS's runtime
 * (aws-lambda-nodejs-runtime-interface-client, `Errors.js`) defines them: the `Runtime.*` names
 * are Lambda's fault types, and `toRapidResponse` is the body posted to `/error` endpoints.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
import { types } from 'node:util';

/** Base of the runtime's own faults; the prototype carries the `Runtime.<Name>` name AWS uses. */
class RuntimeError extends Error {}

export class ImportModuleError extends RuntimeError {}
export class HandlerNotFound extends RuntimeError {}
export class MalformedHandlerName extends RuntimeError {}
export class UserCodeSyntaxError extends RuntimeError {
  /** @param {Error} cause the SyntaxError; its stack (file and line of the fault) is kept. */
  constructor(cause) {
    super(String(cause));
    this.stack = cause.stack;
  }
}
export class NodeJsExit extends RuntimeError {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
export class UnhandledPromiseRejection extends RuntimeError {
  /**
   * @param {unknown} reason
   * @param {Promise<unknown>} [promise]
   */
  constructor(reason, promise) {
    super(safeString(reason));
    this.reason = reason;
    this.promise = promise;
  }
}

for (const type of [ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError, NodeJsExit, UnhandledPromiseRejection]) {
  // On the prototype (not the instance) so that stacks start with `Runtime.<Name>:` as AWS's do.
  Object.defineProperty(type.prototype, 'name', { value: `Runtime.${type.name}`, writable: true, configurable: true });
}

/** @typedef {{ errorType: string, errorMessage: string, trace: string[] }} RapidError */

/** @param {unknown} value */
function safeString(value) {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * True for real errors and for error-shaped objects (AWS accepts both).
 * @param {any} value
 */
function isErrorLike(value) {
  return (
    types.isNativeError(value) ||
    (value && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string' && value.name && value.message && value.stack)
  );
}

/**
 * The body of a `/error` post: `{ errorType, errorMessage, trace }`. Non-errors are reported with
 * their `typeof` as the type (`callback('boom')` gives errorType "string"), as AWS does.
 * @param {any} error
 * @returns {RapidError}
 */
export function toRapidResponse(error) {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/**
 * @param {unknown} value
 * @returns {Error}
 */
export function intoError(value) {
  return value instanceof Error ? value : new Error(safeString(value));
}

/**
 * An error as the text log shows it: a tab, then JSON with errorType, errorMessage, code, any
 * enumerable fields and the stack as an array of lines.
 * @param {unknown} error
 */
export function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

/** @param {any} value */
function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  /** @type {Record<string, unknown>} */
  const out = Object.assign(/** @type {Record<string, unknown>} */ ({ errorType: value.name, errorMessage: value.message, code: /** @type {any} */ (value).code }), value);
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}
