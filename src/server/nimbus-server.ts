/**
 * The composition root: reads nothing itself, builds every part from a ServerConfig and wires
 * them together — store, code store, log sink, sandbox pool, services, edge, HTTP listener.
 * Everything below it receives its dependencies; nothing below it reads process.env.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createEdge } from '../edge/edge.js';
import { CodeStore } from '../lambda/code/code-store.js';
import { CodeLocations } from '../lambda/code-location.js';
import { FunctionCache } from '../lambda/function-cache.js';
import { LIMITS } from '../lambda/function-rules.js';
import { toFunctionSpec } from '../lambda/function-spec.js';
import { lambdaService } from '../lambda/lambda-service.js';
import { EnvironmentPool } from '../sandbox/pool.js';
import { ProcessLauncher } from '../sandbox/process-launcher.js';
import { BatchingLogSink } from '../services/logs/batching-log-sink.js';
import { logsService } from '../services/logs/logs-service.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ServerConfig } from './config.js';
import { findHostInterpreters } from './host-interpreters.js';
import { loadRootCredentials, type RootCredentials } from './root-credentials.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4566 */
  url: string;
  port: number;
  credentials: RootCredentials;
  logger: Logger;
  /** Stops accepting, lets in-flight invokes finish, flushes logs, closes the store. */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, clock: Clock = systemClock): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const credentials = loadRootCredentials(config.dataDir);
  const store = new SqliteStore(join(config.dataDir, 'nimbus.db'));
  const partition = { region: config.region, accountId: config.accountId };
  const code = new CodeStore(join(config.dataDir, 'code'), {
    maxUnzippedBytes: LIMITS.unzippedBytes,
    maxEntries: LIMITS.zipEntries,
  });
  const codeLocations = new CodeLocations(credentials.secretAccessKey, clock, (hex) => code.zipPath(hex));
  const logSink = new BatchingLogSink(store.logs, clock, logger);
  const pool = new EnvironmentPool({
    launcher: new ProcessLauncher(),
    host: findHostInterpreters(),
    logSink,
    clock,
    logger,
    keepAliveMs: config.keepAliveMs,
  });

  let endpointUrl = `http://127.0.0.1:${config.port}`;
  const functions = new FunctionCache(store.functions, (record) =>
    toFunctionSpec(record, {
      partition,
      codeDir: (hex) => code.codeDir(hex),
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      endpointUrl: () => endpointUrl,
    }),
  );
  const lambdaDeps = { store, code, codeLocations, functions, executor: pool, clock, partition, logger };

  const edge = createEdge({
    services: [lambdaService(lambdaDeps), logsService({ store: store.logs, clock, logSink, region: config.region, accountId: config.accountId })],
    credentials: (accessKeyId) =>
      accessKeyId === credentials.accessKeyId
        ? { secretAccessKey: credentials.secretAccessKey, accountId: config.accountId }
        : undefined,
    region: config.region,
    accountId: config.accountId,
    logger,
    rawRoutes: [healthRoute, codeLocations.route],
  });

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, edge);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  endpointUrl = `http://127.0.0.1:${port}`;
  const url = `http://${config.host}:${port}`;
  logger.info('nimbus listening', {
    url,
    dataDir: config.dataDir,
    region: config.region,
    accountId: config.accountId,
    sandbox: 'none',
  });
  logger.warn('functions run as plain processes: they are NOT isolated from each other or from this host');

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
        await pool.drain();
        server.closeAllConnections();
        await stopped;
        await logSink.flush();
        await store.close();
        logger.info('nimbus stopped');
      })()),
  };
}

function healthRoute(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL): boolean {
  if (url.pathname !== '/_nimbus/health') return false;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok' }));
  return true;
}
