import type { Scope } from '../shared/scope.js';

/**
 * The plain values the sandbox works with. The sandbox never imports the control plane: the
 * invoke path hands it a `FunctionSpec` (what to run) and an `InvokeRequest` (one event), and
 * gets back an `InvokeResult`. A function's failure is a result (`functionError`), not an exception.
 */

/** Everything an execution environment needs to run one function version. */
export interface FunctionSpec {
  /**
   * Identity of the configuration an environment was built for. Environments are only reused
   * for the same key; an update of code or configuration yields a new key (e.g.
   * `name:version:revisionId`).
   */
  key: string;
  functionName: string;
  /** The account the function belongs to (its region is `region`). */
  accountId: string;
  /** Unqualified function ARN. */
  functionArn: string;
  /** `$LATEST` or a published version number. */
  version: string;
  /** Runtime identifier as Lambda spells it, e.g. `nodejs20.x`, `python3.12`, `provided.al2023`. */
  runtime: string;
  handler: string;
  memorySize: number;
  /** Timeout in seconds (1..900). */
  timeout: number;
  /** /tmp size in MB (512..10240). Enforced by sandboxing launchers. */
  ephemeralStorage: number;
  /** The function's own environment variables (Environment.Variables). */
  environment: Record<string, string>;
  /** Absolute path of the extracted code (what the environment sees as /var/task). */
  codeDir: string;
  /** Absolute paths of extracted layers, in order (seen as /opt). Empty for now. */
  layerDirs: string[];
  /** Log group the environment's log streams belong to, e.g. `/aws/lambda/NAME`. */
  logGroupName: string;
  region: string;
  /** Credentials of the execution role, passed as AWS_ACCESS_KEY_ID etc. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** URL of the Nimbus endpoint, passed as AWS_ENDPOINT_URL. */
  endpointUrl: string;
  /** LoggingConfig: JSON makes runtimes write structured records, filtered by the level. */
  logFormat?: 'Text' | 'JSON';
  applicationLogLevel?: string;
  /** JSON format only: DEBUG, INFO (default) or WARN; WARN leaves out platform.start and platform.report. */
  systemLogLevel?: string;
  /** AWS_LAMBDA_INITIALIZATION_TYPE; provisioned environments are started ahead of invokes. */
  initializationType?: 'on-demand' | 'provisioned-concurrency';
}

/** One invocation, as handed to an environment. */
export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  /** Qualified or unqualified ARN the caller invoked (Lambda-Runtime-Invoked-Function-Arn). */
  invokedFunctionArn: string;
  /** Base64 JSON client context, as given to Invoke's X-Amz-Client-Context (already decoded to JSON text). */
  clientContext?: string;
  cognitoIdentity?: string;
  traceId?: string;
  /** Return the last 4 KB of this invocation's log, base64 (LogType: Tail). */
  tail: boolean;
  /**
   * Takes a streamed response (Runtime API `Lambda-Runtime-Function-Response-Mode: streaming`)
   * chunk by chunk as the runtime writes it. The InvokeResult still comes at the end, with the
   * whole body as payload (up to MAX_STREAMED_RESPONSE_BYTES with a sink, MAX_RESPONSE_BYTES
   * without). Unused when the runtime answers with an ordinary buffered response.
   */
  responseStream?: ResponseStreamSink;
}

/** Where a streamed response's body goes as it arrives. */
export interface ResponseStreamSink {
  /** The runtime began streaming; `contentType` is the Content-Type of its POST. Called once, before any chunk. */
  begin(contentType: string | undefined): void;
  /** A piece of the body, in order. */
  write(chunk: Buffer): void;
}

/** What an invocation produced. */
export interface InvokeResult {
  /** The response body: the function's result, or the error object when functionError is set. */
  payload: Buffer;
  /** Set when the function (or its runtime) failed: `Unhandled`, as X-Amz-Function-Error. */
  functionError?: 'Unhandled';
  /** Base64 of the last 4 KB of the invocation's log, when requested. */
  logResult?: string;
  durationMs: number;
  billedDurationMs: number;
  /** Set on the invocation that paid for a cold start. */
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  /** The runtime answered in streaming mode (its chunks went to `responseStream`, if any). */
  streamed?: boolean;
  /** Ran on an environment of provisioned concurrency. */
  provisioned?: boolean;
}

/** One log line, with the time it was captured. */
export interface LogEvent {
  timestamp: number;
  message: string;
}

/** Where environments send their log lines; implementations batch off the invoke path. */
export interface LogSink {
  /** Lines of one stream of one group in the function's account and region. */
  append(scope: Scope, logGroupName: string, logStreamName: string, events: LogEvent[]): void;
}

/** A provisioned concurrency allocation, as the control plane sees it. */
export interface ProvisionedSet {
  readonly requested: number;
  status(): { status: 'IN_PROGRESS' | 'READY' | 'FAILED'; reason?: string };
  /** Initialized and not running an invocation now. */
  available(): number;
  /** Initialized and alive. */
  allocated(): number;
  /** The most environments running an invocation at once since the previous call (ProvisionedConcurrentExecutions); starts again from those running now. */
  takePeakInUse(): number;
  /** Stops keeping environments provisioned; the existing ones age out as on-demand ones. */
  release(): void;
}
