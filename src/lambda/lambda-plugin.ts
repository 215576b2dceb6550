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
import { InvocationTracer } from '../observe/tracing/spans/invocation-tracer.js';
import { OtlpTraceExporter } from '../observe/tracing/spans/otlp-exporter.js';
import { registerTraceMetrics } from '../observe/tracing/spans/trace-metrics.js';
import { XRaySampler } from '../observe/tracing/xray-sampler.js';
import { EnvironmentPool } from '../sandbox/pool/pool.js';
import { CLOUDWATCH } from '../services/cloudwatch/api.js';
import { LOGS } from '../services/logs/api.js';
import { functionArn } from './arn.js';
import { AsyncDispatcher } from './async/async-dispatcher.js';
import { attemptAsyncEvent, deadLetterTargetOf, deliverToDeadLetter, deliverToDestination } from './async/async-invocation.js';
import { DEFAULT_RETRY_SETTINGS } from './async/retry-policy.js';
import { CodeLocations } from './code/code-location.js';
import { CodeStore } from './code/code-store.js';
import { concurrencyAcross } from './concurrency/concurrency-limiter.js';
import { restoreProvisioned } from './concurrency/provisioned-concurrency-operations.js';
import { findHostInterpreters } from './environments/host-interpreters.js';
import { chooseSandbox } from './environments/sandbox-choice.js';
import { LIMITS } from './functions/function-rules.js';
import { toFunctionSpec } from './functions/function-spec.js';
import { LAMBDA_OPTIONS, type LambdaOptions } from './lambda-options.js';
import { lambdaService } from './lambda-service.js';
import type { LambdaDeps } from './deps.js';
import { LambdaRegions } from './regions.js';
import { LAMBDA_SLICE } from './store/lambda-slice.js';
import type { LambdaStore } from './store/lambda-store.js';
import { functionUrlRoute } from './urls/function-url-route.js';
import { FunctionUrls } from './urls/function-urls.js';

/** What the server says, wherever it can, when it runs with `--sandbox none` (issue 3, item 4). */
export const NOT_ISOLATED =
  'functions run as plain processes of this server: they are NOT isolated from each other or from this host, and no limits are enforced';

export const lambdaPlugin: ServicePlugin<LambdaOptions, LambdaStore> = {
  name: 'lambda',
  options: LAMBDA_OPTIONS,
  store: LAMBDA_SLICE,
  async create(platform, options, store) {
    const { clock, logger, endpoint } = platform;
    const logs = platform.use(LOGS);
    const cloudwatch = platform.use(CLOUDWATCH);
    const code = new CodeStore(join(platform.dataDir, 'code'), { maxUnzippedBytes: LIMITS.unzippedBytes, maxEntries: LIMITS.zipEntries });
    const codeLocations = new CodeLocations(platform.rootCredentials.secretAccessKey, clock, (hex) => code.zipPath(hex));
    // Invocation metrics: CloudWatch minutes (flushed each minute and on close) and Prometheus text.
    const lambdaMetrics: LambdaMetrics = new LambdaMetrics({
      store: cloudwatch.metrics,
      scope: platform.defaults,
      clock,
      logger,
      provisioned: () => regions.all().flatMap((r: LambdaDeps) => r.provisioner.usage().map((u) => ({ ...u, scope: r.scope }))),
      reserved: () => regions.all().map((r: LambdaDeps) => ({ scope: r.scope, reserved: r.concurrency.reservations() })),
    });
    cloudwatch.addPendingSource(lambdaMetrics);
    // Invocation traces: spans of sampled invocations, batched to an OTLP collector when one is set.
    const traceExporter = options.otlpEndpoint
      ? new OtlpTraceExporter({ url: options.otlpEndpoint, logger, source: { resource: { 'service.name': 'nimbus' }, scope: { name: 'nimbus' } } })
      : undefined;
    const tracer = traceExporter ? new InvocationTracer({ clock, sink: traceExporter }) : undefined;
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
    const functionUrls = new FunctionUrls();
    functionUrls.load(await store.everywhere.functionUrls());
    let dispatcher: AsyncDispatcher | undefined;
    const asyncSettings = { received: 0, accepted: () => dispatcher?.wake() };
    const regions: LambdaRegions = new LambdaRegions({
      shared: {
        ...(sandbox.mode === 'none' ? { notIsolated: NOT_ISOLATED } : {}),
        code,
        codeLocations,
        clock,
        logger,
        async: asyncSettings,
        functionUrls,
        metrics: recorders(lambdaMetrics, new PrometheusMetrics({ registry: platform.metrics })),
        traceSampler: new XRaySampler(clock),
        ...(tracer ? { tracer } : {}),
        asyncMetrics: lambdaMetrics,
      },
      store,
      executor: pool,
      concurrencyLimit: options.concurrencyLimit,
      toSpec: (scope, record) =>
        toFunctionSpec(record, {
          scope: scope,
          codeDir: (hex) => code.codeDir(hex),
          layerTreeDir: (hexes) => code.layerTreeDir(hexes),
          credentials: { ...platform.rootCredentials },
          endpointUrl: () => endpoint.url(),
        }),
    });
    await regions.loadReservations();
    dispatcher = new AsyncDispatcher({
      events: store.asyncEvents,
      clock,
      logger,
      nodeId: platform.nodeId,
      configFor: (e) => store.at(e).eventInvokeConfigs.get(e.functionName, e.qualifier),
      attempt: (e) => attemptAsyncEvent(regions.at(e), e),
      deliver: (arn, record, source) => deliverToDestination(regions.at(source), arn, record),
      deadLetterTarget: (e) => deadLetterTargetOf(regions.at(e), e),
      deliverDeadLetter: (arn) => deliverToDeadLetter(arn),
      metrics: lambdaMetrics,
      functionArn: (e) => functionArn(e, e.functionName, e.qualifier),
      retry: { ...DEFAULT_RETRY_SETTINGS, functionErrorBaseDelayMs: options.asyncRetryBaseMs },
      maxInFlight: options.asyncMaxInFlight,
      pollIntervalMs: 500,
    });
    const asyncDispatcher = dispatcher;
    registerPlatformMetrics(platform.metrics, {
      environments: () => pool.stats(),
      concurrency: () => concurrencyAcross(regions.all().map((r) => r.concurrency), regions.at(platform.defaults).concurrency),
      asyncQueueDepth: () => store.asyncEvents.depth(),
      asyncCounters: () => ({ received: asyncSettings.received, ...asyncDispatcher.stats }),
      droppedLogLines: () => logs.logSink.dropped,
      stemCells: () => sandbox.launcher.stemCells?.(),
    });

    return {
      apis: [lambdaService(regions, platform.defaults)],
      workers: [asyncDispatcher],
      // Function URLs are unsigned raw routes; AWS_IAM ones verify SigV4 themselves (service `lambda`).
      rawRoutes: [codeLocations.route, functionUrlRoute(regions, functionUrls, platform.verifier, platform.authorize)],
      health: () => (sandbox.mode === 'none' ? { isolated: false, warning: NOT_ISOLATED } : { isolated: true }),
      async ready() {
        lambdaMetrics.start();
        traceExporter?.start();
        // Function specs carry AWS_ENDPOINT_URL, so nothing builds one before the port is known.
        await restoreProvisioned(await store.everywhere.provisionedConfigs(), regions);
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
