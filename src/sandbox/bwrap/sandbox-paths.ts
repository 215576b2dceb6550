/**
 * Where things are inside a sandbox: Lambda's own paths, so that code written for Lambda finds
 * them where it expects. https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */

/** The function's code, read-only. */
export const TASK_ROOT = '/var/task';
/** Layers, read-only. */
export const LAYER_ROOT = '/opt';
/** Nimbus's runtime clients, read-only (Lambda keeps its runtime here). */
export const RUNTIME_ROOT = '/var/runtime';
/** Where the sockets below are. */
export const RUN_DIR = '/run/nimbus';
/** Where the environment's Runtime API socket is mounted. */
export const RUNTIME_API_SOCKET = `${RUN_DIR}/runtime-api.sock`;
/** Where the server's API socket is mounted, for AWS_ENDPOINT_URL. */
export const API_SOCKET = `${RUN_DIR}/api.sock`;
/** Socket file names inside RUN_DIR, for a stem cell's run directory on the host. */
export const RUNTIME_API_SOCKET_NAME = 'runtime-api.sock';
export const API_SOCKET_NAME = 'api.sock';
/** The Runtime API address every sandboxed runtime sees (its own loopback). */
export const RUNTIME_API_PORT = 9001;
/** Where a sandbox finds the loop device its /tmp is mounted from (decision 11). */
export const TMP_DEVICE = '/dev/nimbus-tmp';
