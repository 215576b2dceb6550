// @ts-check
/**
 * Nimbus's Node.js runtime client: an ordinary Lambda Runtime API client, started in an execution
 * environment as `node bootstrap.mjs` with the standard Lambda variables. It only talks to the
 * environment through the Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)
 * and behaves like AWS's own Node.js runtime (aws-lambda-nodejs-runtime-interface-client):
 *
 *   init:   patch console → load `_HANDLER` → on failure POST /runtime/init/error and exit 129
 *   invoke: GET /runtime/invocation/next → handler(event, context, callback)
 *           → POST /runtime/invocation/{id}/response | /error → GET next …
 *
 * Handler styles: async/promise (answered as soon as it settles) and callback. With the callback,
 * `context.callbackWaitsForEmptyEventLoop` (default true) delays the answer until the event loop
 * is otherwise empty, detected with process 'beforeExit' exactly as AWS does; the keep-alive
 * socket to the Runtime API is unref'd while idle, so it does not count.
 *
 * An uncaught exception or unhandled rejection is posted as the current invocation's error (or as
 * the init error before the first invoke), then the process exits 129 / 128, as on AWS.
 *
 * Response streaming: `globalThis.awslambda.streamifyResponse(handler)` marks a handler
 * `async (event, responseStream, context)`; its response is POSTed in the Runtime API's streaming
 * mode over a chunked node:http request of its own, each write leaving as it is made
 * (`response-stream.mjs`). `awslambda.HttpResponseStream.from` writes the HTTP integration prelude.
 *
 * Not provided: the telemetry log fd.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { patchConsole, setRequestId } from './console-log.mjs';
import { NodeJsExit, UnhandledPromiseRejection, intoError, toFormatted, toRapidResponse } from './errors.mjs';
import { loadHandler } from './handler-loader.mjs';
import { HttpResponseStream, isStreamingHandler, openResponseStream, streamifyResponse } from './response-stream.mjs';
import { RuntimeApiClient } from './runtime-api-client.mjs';

const env = process.env;
const API_PREFIX = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';
const noop = () => {};

// ---------------------------------------------------------------------------------------------
// Runtime API client: one keep-alive connection (runtime-api-client.mjs); crash reports use a
// node:http connection of their own so they can never queue behind a parked GET /next.

const [apiHost, apiPort] = splitHostPort(env.AWS_LAMBDA_RUNTIME_API ?? '');
const api = new RuntimeApiClient(apiHost, apiPort, directSocket(apiHost, apiPort));
const NEXT_PATH = `${API_PREFIX}/invocation/next`;

/**
 * In a Nimbus sandbox, 127.0.0.1:9001 is a relay (socat) to the environment's own Runtime API
 * socket at /run/nimbus/runtime-api.sock. Our client talks to that socket directly and saves
 * the relay's two extra hops per message; other runtimes use the address as Lambda gives it.
 * @param {string} host
 * @param {number} port
 * @returns {string | undefined}
 */
function directSocket(host, port) {
  const path = '/run/nimbus/runtime-api.sock';
  return host === '127.0.0.1' && port === 9001 && existsSync(path) ? path : undefined;
}

/**
 * @param {string} address `host:port` or `[v6]:port`
 * @returns {[string, number]}
 */
function splitHostPort(address) {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return [address || '127.0.0.1', 9001];
  return [address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), Number(address.slice(colon + 1))];
}

/**
 * The Runtime API is gone or broken: nothing sensible is left to do in this environment.
 * @param {string} what
 * @param {unknown} err
 * @returns {never}
 */
function fatal(what, err) {
  process.stderr.write(`nimbus runtime: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

/**
 * GET /invocation/next, then `onInvoke(body, headers)`.
 * @param {(body: string, headers: Record<string, string>) => void} onInvoke
 */
function getNext(onInvoke) {
  api.request('GET', NEXT_PATH, {}, null, (err, res) => {
    if (err || !res) return fatal('GET /invocation/next', err);
    if (res.status !== 200) fatal('GET /invocation/next', `status ${res.status}: ${res.body.toString('utf8')}`);
    onInvoke(res.body.toString('utf8'), res.headers);
  });
}

/**
 * POST a JSON body, then `done()` once the Runtime API has answered (any status: a rejected post,
 * e.g. 413 for a too-large response, is the platform's to report).
 * @param {string} path
 * @param {string} body
 * @param {string | undefined} errorType sets Lambda-Runtime-Function-Error-Type
 * @param {() => void} done
 * @param {boolean} [ownConnection] a connection of its own: a crash report must not queue
 *   behind a pending GET /next on the shared socket.
 */
function post(path, body, errorType, done, ownConnection = false) {
  /** @type {Record<string, string>} */
  const headers = {};
  // Header values must be visible latin1; an exotic error name must not crash the runtime.
  if (errorType !== undefined) headers[ERROR_TYPE_HEADER] = errorType.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
  if (!ownConnection) {
    api.request('POST', path, headers, body, (err) => (err ? fatal(`POST ${path}`, err) : done()));
    return;
  }
  const req = http.request(
    {
      agent: false,
      host: apiHost,
      port: apiPort,
      path,
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    },
    (res) => {
      res.on('end', done);
      res.resume();
    },
  );
  req.on('error', (err) => fatal(`POST ${path}`, err));
  req.end(body);
}

/**
 * @param {string} id
 * @param {string} body
 * @param {() => void} done
 */
function postResponse(id, body, done) {
  post(`${API_PREFIX}/invocation/${encodeURIComponent(id)}/response`, body, undefined, done);
}

/**
 * @param {string} id
 * @param {unknown} error
 * @param {() => void} done
 * @param {boolean} [ownConnection]
 */
function postError(id, error, done, ownConnection) {
  const body = toRapidResponse(error);
  post(`${API_PREFIX}/invocation/${encodeURIComponent(id)}/error`, JSON.stringify(body), body.errorType, done, ownConnection);
}

/**
 * @param {unknown} error
 * @param {() => void} done
 */
function postInitError(error, done) {
  const body = toRapidResponse(error);
  post(`${API_PREFIX}/init/error`, JSON.stringify(body), body.errorType, done, true);
}

// ---------------------------------------------------------------------------------------------
// Process-level hooks. What they do depends on the phase: before the first invoke a crash is an
// init error; during an invoke it is that invoke's error.

/** @type {(error: unknown, exitCode: number) => void} */
let reportCrash = (error, exitCode) => postInitError(error, () => process.exit(exitCode));
let crashing = false;
/** @type {() => void} */
let beforeExitListener = noop;

/**
 * @param {string} label
 * @param {unknown} error
 * @param {number} exitCode
 */
function crash(label, error, exitCode) {
  console.error(label, toFormatted(error));
  if (crashing) return;
  crashing = true;
  reportCrash(error, exitCode);
}

process.on('uncaughtException', (error) => crash('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason, promise) =>
  crash('Unhandled Promise Rejection', new UnhandledPromiseRejection(reason, promise), 128),
);
process.on('beforeExit', () => beforeExitListener());

// ---------------------------------------------------------------------------------------------
// Values that are the same for every invoke, read once.

const FUNCTION_NAME = env.AWS_LAMBDA_FUNCTION_NAME;
const FUNCTION_VERSION = env.AWS_LAMBDA_FUNCTION_VERSION;
const MEMORY_LIMIT_IN_MB = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const LOG_GROUP_NAME = env.AWS_LAMBDA_LOG_GROUP_NAME;
const LOG_STREAM_NAME = env.AWS_LAMBDA_LOG_STREAM_NAME;

/**
 * A JSON invoke header (client context, Cognito identity), undefined when absent.
 * @param {string | string[] | undefined} text
 * @param {string} name
 */
function parseJsonHeader(text, name) {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${String(err)}`);
  }
}

/** @param {unknown} value */
function isPromiseLike(value) {
  return value != null && typeof (/** @type {any} */ (value).then) === 'function';
}

// ---------------------------------------------------------------------------------------------
// Init

patchConsole(env);
setRequestId(undefined);
/** @type {any} */ (globalThis).awslambda = { streamifyResponse, HttpResponseStream };

/** @type {import('./handler-loader.mjs').Handler} */
let handler;
try {
  handler = await loadHandler(env.LAMBDA_TASK_ROOT || process.cwd(), env._HANDLER ?? '');
} catch (error) {
  // AWS surfaces load failures as an uncaught exception of its bootstrap: same log line, same exit.
  crash('Uncaught Exception', error, 129);
  await new Promise(noop); // exit happens once the init error is posted
  throw error; // unreachable; tells the type checker `handler` is assigned below
}
const isAsyncHandler = handler.constructor?.name === 'AsyncFunction';
const isStreaming = isStreamingHandler(handler);

// ---------------------------------------------------------------------------------------------
// Invoke loop

function nextInvoke() {
  getNext(invoke);
}

/**
 * Runs one invocation. Exactly one of response / error is posted per request id; the next
 * GET leaves in the same write as that post (pipelined; the API answers them in order).
 * @param {string} body
 * @param {Record<string, string>} headers
 */
function invoke(body, headers) {
  const id = /** @type {string} */ (headers['lambda-runtime-aws-request-id']);
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const traceId = headers['lambda-runtime-trace-id'];
  setRequestId(id);
  if (typeof traceId === 'string') env._X_AMZN_TRACE_ID = traceId;
  else delete env._X_AMZN_TRACE_ID;
  reportCrash = (error, exitCode) => postError(id, error, () => process.exit(exitCode), true);

  let finished = false; // a callback-like function was called (only the first call counts)
  let completed = false; // the outcome was handed to the Runtime API
  let waitForEmptyEventLoop = true;

  /** @param {unknown} result */
  const complete = (result) => {
    if (completed || crashing) {
      if (completed) console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch {
      fail(new Error('Unable to stringify response body'));
      return;
    }
    // The response and the next GET leave together; the API answers them in order.
    api.batch(() => {
      postResponse(id, payload, noop);
      nextInvoke();
    });
  };
  /** @param {unknown} error */
  const fail = (error) => {
    completed = true;
    if (crashing) return;
    console.error('Invoke Error', toFormatted(intoError(error)));
    api.batch(() => {
      postError(id, error, noop);
      nextInvoke();
    });
  };
  /**
   * @param {unknown} error
   * @param {unknown} result
   */
  const done = (error, result) => {
    if (finished) return;
    finished = true;
    beforeExitListener = noop;
    if (error !== undefined && error !== null) fail(error);
    else complete(result);
  };
  /**
   * @param {unknown} [error]
   * @param {unknown} [result]
   */
  const callback = (error, result) => {
    if (finished) return;
    finished = true;
    beforeExitListener = noop;
    if (error !== undefined && error !== null) fail(error);
    else if (!waitForEmptyEventLoop) complete(result);
    else beforeExitListener = () => {
      beforeExitListener = noop;
      complete(result);
    };
  };

  // The event loop emptied before the handler answered: a sync handler that never called back
  // answers null; an async one whose promise can never settle fails with Runtime.NodeJsExit.
  beforeExitListener = () => {
    beforeExitListener = noop;
    if (finished) return;
    finished = true;
    if (isAsyncHandler) fail(new NodeJsExit());
    else complete(null);
  };

  try {
    const event = JSON.parse(body);
    const context = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value) {
        waitForEmptyEventLoop = value;
      },
      succeed: (/** @type {unknown} */ result) => done(null, result),
      fail: (/** @type {unknown} */ error) => done(error === undefined || error === null ? 'handled' : error, null),
      done,
      functionVersion: FUNCTION_VERSION,
      functionName: FUNCTION_NAME,
      memoryLimitInMB: MEMORY_LIMIT_IN_MB,
      logGroupName: LOG_GROUP_NAME,
      logStreamName: LOG_STREAM_NAME,
      clientContext: parseJsonHeader(headers['lambda-runtime-client-context'], 'ClientContext'),
      identity: parseJsonHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
      invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
      awsRequestId: id,
      tenantId: headers['lambda-runtime-aws-tenant-id'],
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };
    if (isStreaming) {
      streamInvoke(id, event, context, () => {
        completed = true;
        finished = true;
        beforeExitListener = noop;
      });
      return;
    }
    const result = handler(event, context, callback);
    if (isPromiseLike(result)) {
      /** @type {Promise<unknown>} */ (result).then(context.succeed, context.fail);
    }
  } catch (error) {
    // As AWS: a synchronous throw goes through the callback (so `throw null` is a success).
    callback(error);
  }
}

/**
 * Runs a streaming handler: its response stream is a chunked POST in streaming mode; the next
 * GET follows once the Runtime API has answered it.
 * @param {string} id
 * @param {unknown} event
 * @param {object} context
 * @param {() => void} settled
 */
function streamInvoke(id, event, context, settled) {
  const stream = openResponseStream(apiHost, apiPort, `${API_PREFIX}/invocation/${encodeURIComponent(id)}/response`, (err) => {
    if (err) return fatal('POST streamed response', err);
    if (!crashing) nextInvoke();
  });
  /** @param {unknown} error */
  const failed = (error) => {
    settled();
    if (crashing) return;
    console.error('Invoke Error', toFormatted(intoError(error)));
    const body = toRapidResponse(error);
    stream.fail(body.errorType, JSON.stringify(body));
  };
  beforeExitListener = () => {
    beforeExitListener = noop;
    failed(new NodeJsExit());
  };
  try {
    const result = handler(event, /** @type {any} */ (stream), context);
    Promise.resolve(result).then(
      () => {
        settled();
        if (!stream.writableEnded) stream.end();
      },
      failed,
    );
  } catch (error) {
    failed(error);
  }
}

nextInvoke();
