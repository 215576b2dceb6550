/**
 * What the Lambda service's operations are built from. Lambda is regional: `LambdaDeps` is
 * Lambda in one scope (account and region), with that scope's stores, function cache,
 * concurrency and provisioned environments, over the parts every scope shares (the sandbox
 * pool, the code store, observers). regions.ts makes one per scope on first use.
 */
import type { AsyncEventRecorder } from '../observe/async-event-recorder.js';
import type { InvocationRecorder } from '../observe/invocation-recorder.js';
import type { InvocationTracer } from '../observe/tracing/spans/invocation-tracer.js';
import type { TraceSampler } from '../observe/tracing/xray-sampler.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Scope } from '../shared/scope.js';
import type { CodeStore } from './code/code-store.js';
import type { CodeLocations } from './code/code-location.js';
import type { ConcurrencyLimiter } from './concurrency/concurrency-limiter.js';
import type { Provisioner } from './concurrency/provisioner.js';
import type { FunctionCache } from './functions/function-cache.js';
import type { Executor } from './invoke/executor.js';
import type { AsyncEventStore } from './store/async-event-store.js';
import type { ScopedLambdaStore } from './store/lambda-store.js';
import type { FunctionUrls } from './urls/function-urls.js';

/** The parts every scope shares, built once by the plugin. */
export interface LambdaShared {
  code: CodeStore;
  codeLocations: CodeLocations;
  clock: Clock;
  logger: Logger;
  /** Uniform [0, 1) draws for weighted alias routing; Math.random unless a test pins it. */
  random?: () => number;
  /** Asynchronous invocation: settings and the hook that wakes the dispatcher. */
  async: AsyncInvocationSettings;
  /** Function URL configurations of every scope by URL id, for the URL route (function-urls.ts). */
  functionUrls: FunctionUrls;
  /** Invocation metrics (CloudWatch AWS/Lambda, Prometheus); absent in tests that do not look. */
  metrics?: InvocationRecorder;
  /** Decides sampling for Active tracing when no upstream service did (X-Ray's default rule). */
  traceSampler: TraceSampler;
  /** Records the spans of sampled invocations for OTLP export; absent when no endpoint is configured. */
  tracer?: InvocationTracer;
  /** Set when functions run unsandboxed (`--sandbox none`): the warning GetAccountSettings carries. */
  notIsolated?: string;
  /** Asynchronous event metrics (AsyncEventsReceived counted where events are accepted). */
  asyncMetrics?: AsyncEventRecorder;
}

/** Lambda in one scope. */
export interface LambdaDeps extends LambdaShared {
  /** The account and region: every ARN this Lambda builds names them. */
  scope: Scope;
  /** The scope's stores, and the one asynchronous queue (its events carry their scope). */
  store: ScopedLambdaStore & { asyncEvents: AsyncEventStore };
  /** The scope's functions in memory. */
  functions: FunctionCache;
  /** The environments: the shared pool, seen through this scope (retire touches only its functions). */
  executor: Executor;
  /** The scope's concurrency (AWS's account concurrency is per region): every invocation runs holding a lease from it. */
  concurrency: ConcurrencyLimiter;
  /** The environments of the scope's provisioned concurrency configurations. */
  provisioner: Provisioner;
}

export interface AsyncInvocationSettings {
  /** Called after an event is committed, so the dispatcher looks at the queue at once. */
  accepted(): void;
  /** Events accepted since start (AsyncEventsReceived). */
  received: number;
}
