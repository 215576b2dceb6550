/**
 * Lambda as a plugin record: builds the control plane, the invoke path and the sandbox pool
 * from the platform and Lambda's settings (lambda-options.ts), writes function output through
 * CloudWatch Logs' sink and its metrics into CloudWatch's store, and declares its worker (the
 * asynchronous dispatcher) and raw routes (code downloads, function URLs).
 */
import { join } from 'node:path';
import type { ServicePlugin } from '../kit/plugin.js';
import { recorders } from '../observe/invocation-recorder.js';
import { LambdaMetrics } from '../observe/lambda-metrics.js';
import { PrometheusMetrics } from '../observe/prometheus-metrics.js';
import { registerPlatformMetrics } from '../observe/platform-metrics.js';
import { InvocationTracer } from '../observe/tracing/invocation-tracer.js';
import { OtlpTraceExporter } from '../observe/tracing/otlp-exporter.js';
import { registerTraceMetrics } from '../observe/tracing/trace-metrics.js';
import { XRaySampler } from '../observe/tracing/xray-sampler.js';
import { EnvironmentPool } from '../sandbox/pool.js';
import { CLOUDWATCH } from '../services/cloudwatch/api.js';
import { LOGS } from '../services/logs/api.js';
import { functionArn } from './arn.js';
import { AsyncDispatcher } from './async/async-dispatcher.js';
import { attemptAsyncEvent, deadLetterTargetOf, deliverToDeadLetter, deliverToDestination } from './async/async-invocation.js';
import { DEFAULT_RETRY_SETTINGS } from './async/retry-policy.js';
import { CodeLocations } from './code/code-location.js';
import { CodeStore } from './code/code-store.js';
import { ConcurrencyLimiter } from './concurrency/concurrency-limiter.js';
import { loadReservations } from './concurrency/load-reservations.js';
import { restoreProvisioned } from './concurrency/provisioned-concurrency-operations.js';
import { Provisioner } from './concurrency/provisioner.js';
import type { LambdaDeps } from './deps.js';
import { findHostInterpreters } from './environments/host-interpreters.js';
import { chooseSandbox } from './environments/sandbox-choice.js';
import { FunctionCache } from './functions/function-cache.js';
import { LIMITS } from './functions/function-rules.js';
import { toFunctionSpec } from './functions/function-spec.js';
import { LAMBDA_OPTIONS, type LambdaOptions } from './lambda-options.js';
import { lambdaService } from './lambda-service.js';
import { functionUrlRoute } from './urls/function-url-route.js';
import { FunctionUrls } from './urls/function-urls.js';

/** What the server says, wherever it can, when it runs with `--sandbox none` (issue 3, item 4). */
export const NOT_ISOLATED =
  'functions run as plain processes of this server: they are NOT isolated from each other or from this host, and no limits are enforced';

export const lambdaPlugin: ServicePlugin<LambdaOptions> = {
  name: 'lambda',
  options: LAMBDA_OPTIONS,
  async create(platform, options) {
    const { store, clock, logger, endpoint } = platform;
    const partition = platform.defaults;
    const logs = platform.use(LOGS);
    const cloudwatch = platform.use(CLOUDWATCH);
    const code = new CodeStore(join(platform.dataDir, 'code'), { maxUnzippedBytes: LIMITS.unzippedBytes, maxEntries: LIMITS.zipEntries });
    const codeLocations = new CodeLocations(platform.rootCredentials.secretAccessKey, clock, (hex) => code.zipPath(hex));
    // Invocation metrics: CloudWatch minutes (flushed each minute and on close) and Prometheus text.
    const lambdaMetrics = new LambdaMetrics({
      store: cloudwatch.metrics,
      clock,
      logger,
      provisioned: () => provisioner.usage(),
      reserved: () => concurrency.reservations(),
    });
    cloudwatch.addPendingSource(lambdaMetrics);
    // Invocation traces: spans of sampled invocations, batched to an OTLP collector when one is set.
    const traceExporter = options.otlpEndpoint
      ? new OtlpTraceExporter({ url: options.otlpEndpoint, logger, source: { resource: { 'service.name': 'nimbus' }, scope: { name: 'nimbus' } } })
      : undefined;
    const tracer = traceExporter ? new InvocationTracer({ clock, sink: traceExporter, region: partition.region }) : undefined;
    if (traceExporter) registerTraceMetrics(platform.metrics, traceExporter);

    const host = findHostInterpreters(options.python);
    const sandbox = chooseSandbox(options.sandbox, host, endpoint.runDir, {
      api: () => {
        const port = endpoint.port();
        return port ? { socket: endpoint.apiSocket, port } : undefined;
      },
      // Cells' task directories sit beside the code store, so binding links the code instead of copying it.
      ...(options.stemCells > 0
        ? { stemCells: { taskParent: join(platform.dataDir, 'cells'), runParent: endpoint.runDir, logger, policy: { maxPerFamily: options.stemCells } } }
        : {}),
      egress: options.egress === 'internet',
      // Sandboxes' /tmp images live with the data, where EphemeralStorage's disk space is.
      diskTmpDir: join(platform.dataDir, 'tmp'),
    });
    const pool = new EnvironmentPool({
      launcher: sandbox.launcher,
      transport: sandbox.transport,
      host,
      logSink: logs.logSink,
      clock,
      logger,
      keepAliveMs: options.keepAlive * 1000,
      scaleUpRate: { environments: options.scaleUpRate, periodMs: 10_000 },
    });
    const provisioner = new Provisioner(pool);
    const functions = new FunctionCache(store.functions, (record) =>
      toFunctionSpec(record, {
        partition,
        codeDir: (hex) => code.codeDir(hex),
        layerTreeDir: (hexes) => code.layerTreeDir(hexes),
        credentials: { ...platform.rootCredentials },
        endpointUrl: () => endpoint.url(),
      }),
    );
    const concurrency = new ConcurrencyLimiter(options.concurrencyLimit);
    await loadReservations(store.functions, concurrency);
    const functionUrls = new FunctionUrls(store.functionUrls);
    await functionUrls.load();
    let dispatcher: AsyncDispatcher | undefined;
    const asyncSettings = { received: 0, accepted: () => dispatcher?.wake() };
    const deps: LambdaDeps = {
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
      metrics: recorders(lambdaMetrics, new PrometheusMetrics({ registry: platform.metrics })),
      traceSampler: new XRaySampler(clock),
      ...(tracer ? { tracer } : {}),
      asyncMetrics: lambdaMetrics,
    };
    dispatcher = new AsyncDispatcher({
      events: store.asyncEvents,
      clock,
      logger,
      nodeId: platform.nodeId,
      configFor: (e) => store.eventInvokeConfigs.get(e.functionName, e.qualifier),
      attempt: (e) => attemptAsyncEvent(deps, e),
      deliver: (arn, record) => deliverToDestination(deps, arn, record),
      deadLetterTarget: (e) => deadLetterTargetOf(deps, e),
      deliverDeadLetter: (arn) => deliverToDeadLetter(arn),
      metrics: lambdaMetrics,
      functionArn: (e) => functionArn(partition, e.functionName, e.qualifier),
      retry: { ...DEFAULT_RETRY_SETTINGS, functionErrorBaseDelayMs: options.asyncRetryBaseMs },
      maxInFlight: options.asyncMaxInFlight,
      pollIntervalMs: 500,
    });
    const asyncDispatcher = dispatcher;
    registerPlatformMetrics(platform.metrics, {
      environments: () => pool.stats(),
      concurrency: () => ({ ...concurrency.usage(), unreservedLimit: concurrency.unreservedLimit(), accountLimit: concurrency.accountLimit }),
      asyncQueueDepth: () => store.asyncEvents.depth(),
      asyncCounters: () => ({ received: asyncSettings.received, ...asyncDispatcher.stats }),
      droppedLogLines: () => logs.logSink.dropped,
      stemCells: () => sandbox.launcher.stemCells?.(),
    });

    return {
      apis: [lambdaService(deps)],
      workers: [asyncDispatcher],
      // Function URLs are unsigned raw routes; AWS_IAM ones verify SigV4 themselves (service `lambda`).
      rawRoutes: [codeLocations.route, functionUrlRoute(deps, platform.verifier, platform.authorize)],
      health: () => (sandbox.mode === 'none' ? { isolated: false, warning: NOT_ISOLATED } : { isolated: true }),
      async ready() {
        lambdaMetrics.start();
        traceExporter?.start();
        // Function specs carry AWS_ENDPOINT_URL, so nothing builds one before the port is known.
        await restoreProvisioned(deps);
        if (sandbox.mode === 'none') logger.warn(`--sandbox none: ${NOT_ISOLATED}`);
        else logger.info('functions run sandboxed', { launcher: 'bubblewrap', ...sandbox.enforced });
      },
      async drain() {
        await pool.drain();
        await sandbox.launcher.close?.();
      },
      async close() {
        await traceExporter?.shutdown();
        await lambdaMetrics.stop();
      },
    };
  },
};
