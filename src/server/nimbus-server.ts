/**
 * The composition root: reads nothing itself, builds every part from a ServerConfig and wires
 * them together — store, code store, log sink, sandbox pool, services, edge, HTTP listener.
 * Everything below it receives its dependencies; nothing below it reads process.env.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createSocketServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdge } from '../edge/edge.js';
import { SigV4Verifier, type CredentialResolver } from '../edge/sigv4.js';
import { CodeStore } from '../lambda/code/code-store.js';
import { CodeLocations } from '../lambda/code/code-location.js';
import { FunctionCache } from '../lambda/functions/function-cache.js';
import { functionUrlRoute } from '../lambda/urls/function-url-route.js';
import { FunctionUrls } from '../lambda/urls/function-urls.js';
import { LIMITS } from '../lambda/functions/function-rules.js';
import { toFunctionSpec } from '../lambda/functions/function-spec.js';
import { lambdaService } from '../lambda/lambda-service.js';
import { functionArn } from '../lambda/arn.js';
import { AsyncDispatcher } from '../lambda/async/async-dispatcher.js';
import { attemptAsyncEvent, deadLetterTargetOf, deliverToDeadLetter, deliverToDestination } from '../lambda/async/async-invocation.js';
import { DEFAULT_RETRY_SETTINGS } from '../lambda/async/retry-policy.js';
import { ConcurrencyLimiter } from '../lambda/concurrency/concurrency-limiter.js';
import { loadReservations } from '../lambda/concurrency/load-reservations.js';
import { Provisioner } from '../lambda/concurrency/provisioner.js';
import { restoreProvisioned } from '../lambda/concurrency/provisioned-concurrency-operations.js';
import type { LambdaDeps } from '../lambda/deps.js';
import { recorders } from '../observe/invocation-recorder.js';
import { LambdaMetrics } from '../observe/lambda-metrics.js';
import { registerPlatformMetrics } from '../observe/platform-metrics.js';
import { measureStoreLatency } from '../observe/store-latency.js';
import { removeOrphans } from '../sandbox/orphans.js';
import { PrometheusMetrics } from '../observe/prometheus-metrics.js';
import { InvocationTracer } from '../observe/tracing/invocation-tracer.js';
import { OtlpTraceExporter } from '../observe/tracing/otlp-exporter.js';
import { registerTraceMetrics } from '../observe/tracing/trace-metrics.js';
import { XRaySampler } from '../observe/tracing/xray-sampler.js';
import { EnvironmentPool } from '../sandbox/pool.js';
import { AlarmEvaluator } from '../services/cloudwatch/alarm-evaluator.js';
import { cloudWatchService } from '../services/cloudwatch/cloudwatch-service.js';
import { BatchingLogSink } from '../services/logs/batching-log-sink.js';
import { logsService } from '../services/logs/logs-service.js';
import { RetentionSweeper } from '../services/logs/retention-sweeper.js';
import { MetricRetentionSweeper } from '../services/cloudwatch/metric-retention-sweeper.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ServerConfig } from './config.js';
import { findHostInterpreters } from './host-interpreters.js';
import { loadRootCredentials, type RootCredentials } from './root-credentials.js';
import { chooseSandbox, type SandboxChoice } from './sandbox-choice.js';

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

export async function startServer(config: ServerConfig, clock: Clock = systemClock): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const credentials = loadRootCredentials(config.dataDir);
  const prometheus = new PrometheusMetrics();
  // Every store call is timed for /metrics (store latency is part of the platform's health).
  const store = measureStoreLatency(new SqliteStore(join(config.dataDir, 'nimbus.db')), prometheus.registry);
  const partition = { region: config.region, accountId: config.accountId };
  const code = new CodeStore(join(config.dataDir, 'code'), {
    maxUnzippedBytes: LIMITS.unzippedBytes,
    maxEntries: LIMITS.zipEntries,
  });
  const codeLocations = new CodeLocations(credentials.secretAccessKey, clock, (hex) => code.zipPath(hex));
  const logSink = new BatchingLogSink(store.logs, clock, logger);
  // Invocation metrics: CloudWatch minutes (flushed each minute and on close) and Prometheus text.
  const lambdaMetrics = new LambdaMetrics({
    store: store.metrics,
    clock,
    logger,
    provisioned: () => provisioner.usage(),
    reserved: () => concurrency.reservations(),
  });
  // Invocation traces: spans of sampled invocations, batched to an OTLP collector when one is set.
  const traceExporter = config.otlpTracesUrl
    ? new OtlpTraceExporter({ url: config.otlpTracesUrl, logger, source: { resource: { 'service.name': 'nimbus' }, scope: { name: 'nimbus' } } })
    : undefined;
  const tracer = traceExporter ? new InvocationTracer({ clock, sink: traceExporter, region: config.region }) : undefined;
  if (traceExporter) registerTraceMetrics(prometheus.registry, traceExporter);
  const host = findHostInterpreters();
  // Runtime API sockets and the API socket sandboxes reach AWS_ENDPOINT_URL through; 0700,
  // outside the data directory, gone with the server.
  // Named after this process, so that the next start removes it if this one is killed.
  removeOrphans(tmpdir(), (dir) => rmSync(dir, { recursive: true, force: true }), RUN_DIR_PREFIX);
  const runDir = mkdtempSync(join(tmpdir(), `${RUN_DIR_PREFIX}${process.pid}-`));
  const apiSocket = join(runDir, 'api.sock');
  let apiPort = 0;
  let sandbox: SandboxChoice;
  try {
    sandbox = chooseSandbox(config.sandbox, host, runDir, {
      api: () => (apiPort ? { socket: apiSocket, port: apiPort } : undefined),
      // Cells' task directories sit beside the code store, so binding links the code instead of copying it.
      ...(config.stemCells > 0
        ? { stemCells: { taskParent: join(config.dataDir, 'cells'), runParent: runDir, logger, policy: { maxPerFamily: config.stemCells } } }
        : {}),
      egress: config.egress === 'internet',
      // Sandboxes' /tmp images live with the data, where EphemeralStorage's disk space is.
      diskTmpDir: join(config.dataDir, 'tmp'),
    });
  } catch (err) {
    rmSync(runDir, { recursive: true, force: true });
    await store.close();
    throw err;
  }
  const pool = new EnvironmentPool({
    launcher: sandbox.launcher,
    transport: sandbox.transport,
    host,
    logSink,
    clock,
    logger,
    keepAliveMs: config.keepAliveMs,
    scaleUpRate: { environments: config.scaleUpRate, periodMs: 10_000 },
  });
  const provisioner = new Provisioner(pool);

  let endpointUrl = `http://127.0.0.1:${config.port}`;
  const functions = new FunctionCache(store.functions, (record) =>
    toFunctionSpec(record, {
      partition,
      codeDir: (hex) => code.codeDir(hex),
      layerTreeDir: (hexes) => code.layerTreeDir(hexes),
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      endpointUrl: () => endpointUrl,
    }),
  );
  const concurrency = new ConcurrencyLimiter(config.concurrencyLimit);
  await loadReservations(store.functions, concurrency);
  const functionUrls = new FunctionUrls(store.functionUrls);
  await functionUrls.load();
  let dispatcher: AsyncDispatcher | undefined;
  const asyncSettings = { received: 0, accepted: () => dispatcher?.wake() };
  const lambdaDeps: LambdaDeps = {
    ...(sandbox.mode === 'none' ? { notIsolated: NOT_ISOLATED } : {}),
    store,
    code,
    codeLocations,
    functions,
    executor: pool,
    clock,
    partition,
    logger,
    concurrency,
    provisioner,
    async: asyncSettings,
    functionUrls,
    metrics: recorders(lambdaMetrics, prometheus),
    traceSampler: new XRaySampler(clock),
    ...(tracer ? { tracer } : {}),
    asyncMetrics: lambdaMetrics,
  };
  dispatcher = new AsyncDispatcher({
    events: store.asyncEvents,
    clock,
    logger,
    nodeId: await nodeId(store),
    configFor: (e) => store.eventInvokeConfigs.get(e.functionName, e.qualifier),
    attempt: (e) => attemptAsyncEvent(lambdaDeps, e),
    deliver: (arn, record) => deliverToDestination(lambdaDeps, arn, record),
    deadLetterTarget: (e) => deadLetterTargetOf(lambdaDeps, e),
    deliverDeadLetter: (arn) => deliverToDeadLetter(arn),
    metrics: lambdaMetrics,
    functionArn: (e) => functionArn(partition, e.functionName, e.qualifier),
    retry: { ...DEFAULT_RETRY_SETTINGS, functionErrorBaseDelayMs: config.asyncRetryBaseMs },
    maxInFlight: config.asyncMaxInFlight,
    pollIntervalMs: 500,
  });
  const asyncDispatcher = dispatcher;
  registerPlatformMetrics(prometheus.registry, {
    environments: () => pool.stats(),
    concurrency: () => ({ ...concurrency.usage(), unreservedLimit: concurrency.unreservedLimit(), accountLimit: concurrency.accountLimit }),
    asyncQueueDepth: () => store.asyncEvents.depth(),
    asyncCounters: () => ({ received: asyncSettings.received, ...asyncDispatcher.stats }),
    droppedLogLines: () => logSink.dropped,
    stemCells: () => sandbox.launcher.stemCells?.(),
  });

  const resolveCredentials: CredentialResolver = (accessKeyId) =>
    accessKeyId === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey, accountId: config.accountId } : undefined;
  // Function URLs are unsigned raw routes; AWS_IAM ones verify SigV4 themselves (service `lambda`).
  const urlRoute = functionUrlRoute(lambdaDeps, new SigV4Verifier({ credentials: resolveCredentials, clock }));
  const edge = createEdge({
    services: [lambdaService(lambdaDeps), logsService({ store: store.logs, clock, logSink, region: config.region, accountId: config.accountId }),
      cloudWatchService({ store: store.metrics, clock, pending: lambdaMetrics, alarms: store.alarms }),
    ],
    credentials: resolveCredentials,
    region: config.region,
    accountId: config.accountId,
    logger,
    rawRoutes: [healthRoute(sandbox.mode !== 'none'), prometheus.route, codeLocations.route, urlRoute],
  });

  lambdaMetrics.start();
  traceExporter?.start();
  const retention = new RetentionSweeper(store.logs, clock, logger);
  retention.start();
  // CloudWatch's metric retention: minutes → five minutes → hours → gone (metric-retention.ts).
  const metricRetention = new MetricRetentionSweeper({ store: store.metrics, clock, logger });
  metricRetention.start();
  const alarmEvaluator = new AlarmEvaluator({
    alarms: store.alarms,
    metrics: store.metrics,
    clock,
    logger,
    pending: lambdaMetrics,
    intervalMs: config.alarmEvaluationMs,
  });
  alarmEvaluator.start();
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, edge);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  endpointUrl = `http://127.0.0.1:${port}`;
  // Sandboxes have their own loopback: a relay inside forwards 127.0.0.1:<port> to this socket.
  const apiListener = createSocketServer((socket) => server.emit('connection', socket));
  if (sandbox.mode === 'bwrap') {
    await new Promise<void>((ok, fail) => apiListener.once('error', fail).listen(apiSocket, () => ok()));
    chmodSync(apiSocket, 0o666);
    apiPort = port;
  }
  // Function specs carry AWS_ENDPOINT_URL, so nothing builds one before the port is known.
  await dispatcher.start();
  await restoreProvisioned(lambdaDeps);
  const url = `http://${config.host}:${port}`;
  logger.info('nimbus listening', {
    url,
    dataDir: config.dataDir,
    region: config.region,
    accountId: config.accountId,
    sandbox: sandbox.mode,
  });
  if (sandbox.mode === 'none') {
    logger.warn(`--sandbox none: ${NOT_ISOLATED}`);
  } else {
    logger.info('functions run sandboxed', { launcher: 'bubblewrap', ...sandbox.enforced });
  }

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
        await dispatcher.stop();
        retention.stop();
        await metricRetention.stop();
        await alarmEvaluator.stop();
        await pool.drain();
        await sandbox.launcher.close?.();
        server.closeAllConnections();
        await stopped;
        if (apiListener.listening) await new Promise<void>((ok) => apiListener.close(() => ok()));
        rmSync(runDir, { recursive: true, force: true });
        await traceExporter?.shutdown();
        await logSink.flush();
        await lambdaMetrics.stop();
        await store.close();
        logger.info('nimbus stopped');
      })()),
  };
}

/** What the server says, wherever it can, when it runs with `--sandbox none` (issue 3, item 4). */
const NOT_ISOLATED =
  'functions run as plain processes of this server: they are NOT isolated from each other or from this host, and no limits are enforced';

/** `GET /_nimbus/health`: up, and whether functions are isolated (the nimbus CLI warns when not). */
function healthRoute(isolated: boolean) {
  const body = JSON.stringify({ status: 'ok', isolated, ...(isolated ? {} : { warning: NOT_ISOLATED }) });
  return (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL): boolean => {
    if (url.pathname !== '/_nimbus/health') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return true;
  };
}

/** This node's id for async event leases: kept in the store, so a restart reclaims its own. */
async function nodeId(store: SqliteStore): Promise<string> {
  const saved = await store.settings.get('node-id');
  if (saved) return saved;
  const id = randomUUID();
  await store.settings.set('node-id', id);
  return id;
}
