/** What the Lambda service's operations are built from (wired at the composition root). */
import type { AsyncEventRecorder } from '../observe/async-event-recorder.js';
import type { InvocationRecorder } from '../observe/invocation-recorder.js';
import type { InvocationTracer } from '../observe/tracing/invocation-tracer.js';
import type { TraceSampler } from '../observe/tracing/xray-sampler.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/store.js';
import type { Partition } from './arn.js';
import type { CodeStore } from './code/code-store.js';
import type { ConcurrencyLimiter } from './concurrency/concurrency-limiter.js';
import type { Provisioner } from './concurrency/provisioner.js';
import type { CodeLocations } from './code/code-location.js';
import type { Executor } from './invoke/executor.js';
import type { FunctionCache } from './functions/function-cache.js';
import type { FunctionUrls } from './urls/function-urls.js';

export interface LambdaDeps {
  store: Store;
  code: CodeStore;
  codeLocations: CodeLocations;
  functions: FunctionCache;
  executor: Executor;
  clock: Clock;
  partition: Partition;
  logger: Logger;
  /** Uniform [0, 1) draws for weighted alias routing; Math.random unless a test pins it. */
  random?: () => number;
  /** The account's concurrency: every invocation runs holding a lease from it. */
  concurrency: ConcurrencyLimiter;
  /** Asynchronous invocation: settings and the hook that wakes the dispatcher. */
  async: AsyncInvocationSettings;
  /** The environments of provisioned concurrency configurations. */
  provisioner: Provisioner;
  /** Function URL configurations by URL id, for the URL route (function-urls.ts). */
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

export interface AsyncInvocationSettings {
  /** Called after an event is committed, so the dispatcher looks at the queue at once. */
  accepted(): void;
  /** Events accepted since start (AsyncEventsReceived). */
  received: number;
}
