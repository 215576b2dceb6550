/**
 * The composition root: builds the platform (store, credentials, node identity, metrics
 * registry, sockets) from a ServerConfig, then walks the SERVICES table: each plugin builds its
 * service from the platform and its own settings; the edge mounts their APIs and raw routes;
 * the worker runner runs their workers. Nothing below it reads process.env.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createSocketServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdge } from '../edge/edge.js';
import { SigV4Verifier, type CredentialResolver } from '../edge/sigv4.js';
import { allowAll } from '../kit/authorization.js';
import type { AnyServicePlugin, Platform, ServiceInstance } from '../kit/plugin.js';
import { metricsRoute, platformRegistry } from '../observe/prometheus-metrics.js';
import { storeLatency } from '../observe/store-latency.js';
import { removeOrphans } from '../sandbox/orphans.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { PLATFORM_SLICE } from '../store/platform-store.js';
import { SqliteDatabase } from '../store/sqlite/sqlite-database.js';
import type { ServerConfig } from './config.js';
import { InProcessCalls } from './in-process-calls.js';
import { claimNodeIdentity } from './node-identity.js';
import { loadRootCredentials, type RootCredentials } from './root-credentials.js';
import { SERVICES } from './services.js';
import { WorkerRunner } from './worker-runner.js';

/** Where this server's sockets live: `<tmp>/nimbus-run-<pid>-<random>`, 0700, gone with the server. */
const RUN_DIR_PREFIX = 'nimbus-run-';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4566 */
  url: string;
  port: number;
  credentials: RootCredentials;
  logger: Logger;
  /** Stops accepting, lets in-flight invokes finish, flushes logs, closes the store. */
  close(): Promise<void>;
}

interface Built {
  plugin: AnyServicePlugin;
  instance: ServiceInstance;
}

export async function startServer(config: ServerConfig, clock: Clock = systemClock, table: readonly AnyServicePlugin[] = SERVICES): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const credentials = loadRootCredentials(config.dataDir);
  const registry = platformRegistry();
  // One database for every slice; rows from before scopes belong to the server's own account and region.
  const database = new SqliteDatabase(join(config.dataDir, 'nimbus.db'), { accountId: config.accountId, region: config.region });
  // Every store call is timed for /metrics (store latency is part of the platform's health).
  const timed = storeLatency(registry);
  const store = timed(database.open(PLATFORM_SLICE));
  // Versions before the service platform kept the node id in the (shared) store.
  const identity = claimNodeIdentity(config.dataDir, { adopt: await store.settings.get('node-id') });
  if (!identity.persistent) logger.warn('another server uses this data directory: this one runs as a node of its own', { node: identity.id });
  // Runtime API sockets and the API socket sandboxes reach AWS_ENDPOINT_URL through; 0700,
  // outside the data directory, gone with the server. Named after this process, so that the
  // next start removes it if this one is killed.
  removeOrphans(tmpdir(), (dir) => rmSync(dir, { recursive: true, force: true }), RUN_DIR_PREFIX);
  const runDir = mkdtempSync(join(tmpdir(), `${RUN_DIR_PREFIX}${process.pid}-`));
  const apiSocket = join(runDir, 'api.sock');
  let port: number | undefined;

  const resolveCredentials: CredentialResolver = (accessKeyId) =>
    accessKeyId === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey, accountId: config.accountId } : undefined;
  const verifier = new SigV4Verifier({ credentials: resolveCredentials, clock });
  // The one authorization stage; it allows everything until the identity issue fills it.
  const authorize = allowAll;
  const calls = new InProcessCalls({ authorize, baseUrl: () => platform.endpoint.url() });
  const built: Built[] = [];
  const platform: Platform = {
    dataDir: config.dataDir,
    defaults: { region: config.region, accountId: config.accountId },
    clock,
    logger,
    metrics: registry,
    verifier,
    authorize,
    calls,
    rootCredentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    nodeId: identity.id,
    endpoint: { url: () => `http://127.0.0.1:${port ?? config.port}`, runDir, apiSocket, port: () => port },
    use(ref) {
      const found = built.find((b) => b.plugin.name === ref.service);
      if (!found) throw new Error(`service '${ref.service}' is used before it is built: put it earlier in SERVICES`);
      return found.instance.exports as never;
    },
  };
  const releaseAll = async () => {
    rmSync(runDir, { recursive: true, force: true });
    database.close();
    identity.release();
  };
  try {
    for (const plugin of table) {
      const slice = plugin.store ? timed(database.open(plugin.store) as object) : undefined;
      built.push({ plugin, instance: await plugin.create(platform, config.services[plugin.name], slice) });
    }
    // What a legacy database held for a service no longer in the table goes with this start.
    database.dropUnclaimedLegacy();
  } catch (err) {
    await closeInstances(built, 'drain', logger);
    await closeInstances(built, 'close', logger);
    await releaseAll();
    throw err;
  }

  const apis = built.flatMap((b) => b.instance.apis);
  calls.mount(apis);
  const edge = createEdge({
    services: apis,
    credentials: resolveCredentials,
    authorize,
    logger,
    rawRoutes: [healthRoute(built), metricsRoute(registry), ...built.flatMap((b) => b.instance.rawRoutes ?? [])],
  });
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, edge);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  // Sandboxes have their own loopback: a relay inside forwards 127.0.0.1:<port> to this socket.
  const apiListener = createSocketServer((socket) => server.emit('connection', socket));
  await new Promise<void>((ok, fail) => apiListener.once('error', fail).listen(apiSocket, () => ok()));
  chmodSync(apiSocket, 0o666);

  for (const b of built) await b.instance.ready?.();
  const workers = new WorkerRunner({ leases: store.leases, nodeId: identity.id, clock, logger, leaseTtlMs: config.leaseTtlMs, registry });
  await workers.start(built.flatMap((b) => b.instance.workers ?? []));
  const url = `http://${config.host}:${port}`;
  logger.info('nimbus listening', {
    url,
    dataDir: config.dataDir,
    region: config.region,
    accountId: config.accountId,
    node: identity.id,
    services: built.map((b) => b.plugin.name),
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    credentials,
    logger,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((ok) => server.close(() => ok()));
        server.closeIdleConnections();
        await workers.stop();
        // In-flight invocations finish on connections still open; then they go.
        await closeInstances(built, 'drain', logger);
        server.closeAllConnections();
        await stopped;
        await new Promise<void>((ok) => apiListener.close(() => ok()));
        await closeInstances(built, 'close', logger);
        await releaseAll();
        logger.info('nimbus stopped');
      })()),
  };
}

/** Runs one shutdown step of every service, the last built first; a failure is logged, not fatal. */
async function closeInstances(built: readonly Built[], step: 'drain' | 'close', logger: Logger): Promise<void> {
  for (const b of [...built].reverse()) {
    try {
      await b.instance[step]?.();
    } catch (err) {
      logger.error(`${step} failed`, { service: b.plugin.name, error: String(err) });
    }
  }
}

/** `GET /_nimbus/health`: up, and what the services add (Lambda: whether functions are isolated). */
function healthRoute(built: readonly Built[]) {
  return (_req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (url.pathname !== '/_nimbus/health') return false;
    const body = JSON.stringify(Object.assign({ status: 'ok' }, ...built.map((b) => b.instance.health?.() ?? {})));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return true;
  };
}
