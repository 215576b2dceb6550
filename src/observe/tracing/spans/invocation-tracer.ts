/**
 * Records the spans of sampled invocations. The invoke path calls `begin` with the request's
 * trace decision; an unsampled request gets undefined and costs nothing more. A sampled one
 * gets an `InvocationTrace`, told when the lease was taken, when the result came back and when
 * the answer was out; it then hands one small record to the sink (the OTLP exporter, which
 * batches off the invoke path). Only sampled traces are recorded: an unsampled `Sampled=0`
 * trace is not recorded by OpenTelemetry's parent-based sampling nor sent by Lambda to X-Ray.
 */
import type { Clock } from '../../../shared/clock.js';
import { AwsError } from '../../../shared/errors.js';
import type { AttributeValue, FaasTrigger, TracedInvocation } from './invocation-spans.js';
import type { TraceDecision } from '../trace-decision.js';
import { newSpanId } from '../trace-ids.js';
import { formatTraceHeader, otelTraceId } from '../xray-trace-header.js';

/** Where finished invocations go; `add` must be cheap (it runs on the invoke path). */
export interface TraceSink {
  add(invocation: TracedInvocation): void;
}

export interface InvocationTracerOptions {
  clock: Clock;
  sink: TraceSink;
}

/** How an invocation's recording starts. */
export interface TraceStart {
  decision: TraceDecision;
  trigger: FaasTrigger;
  functionName: string;
  /** The version that runs. */
  version: string;
  /** The ARN the caller invoked (cloud.resource_id). */
  invokedArn: string;
  /** The function's region (cloud.region). */
  region: string;
  requestId: string;
  /** Epoch ms since which the invocation waited (an async event: since it was due); default now. */
  queuedAtMs?: number;
  attributes?: Record<string, AttributeValue>;
}

/** What the environment reported (an InvokeResult has these). */
export interface RunFigures {
  durationMs: number;
  initDurationMs?: number;
  functionError?: string;
  /** The error object, when functionError is set: its errorType and errorMessage describe the failure. */
  payload?: Buffer;
}

/** Starts the recording of sampled invocations. */
export class InvocationTracer {
  /** Epoch ms at monotonic 0: span times come from the monotonic clock, placed on the epoch once. */
  private readonly epochAtZero: number;

  constructor(private readonly o: InvocationTracerOptions) {
    this.epochAtZero = o.clock.now() - o.clock.monotonic();
  }

  /** Begins recording when the trace is sampled; undefined otherwise. */
  begin(start: TraceStart): InvocationTrace | undefined {
    if (!start.decision.sampled) return undefined;
    return new InvocationTrace(start, start.region, () => this.epochAtZero + this.o.clock.monotonic(), this.o.sink);
  }
}

/** One sampled invocation being recorded. Every method is cheap; the record is made once, at the end. */
export class InvocationTrace {
  /** The header the function sees (`_X_AMZN_TRACE_ID`): the same trace, with the invoke span as `Parent`. */
  readonly header: string;
  private readonly inv: TracedInvocation;
  private ended = false;

  constructor(
    start: TraceStart,
    region: string,
    private readonly now: () => number,
    private readonly sink: TraceSink,
  ) {
    const at = now();
    const h = start.decision.header;
    const invokeSpanId = newSpanId();
    this.header = formatTraceHeader({ ...h, parent: invokeSpanId });
    this.inv = {
      traceId: otelTraceId(h.root),
      ...(h.parent !== undefined ? { parentSpanId: h.parent } : {}),
      invokeSpanId,
      functionName: start.functionName,
      version: start.version,
      invokedArn: start.invokedArn,
      requestId: start.requestId,
      trigger: start.trigger,
      region,
      ...(start.attributes ? { attributes: { ...start.attributes } } : {}),
      startMs: Math.min(at, start.queuedAtMs ?? at),
      responded: false,
      endMs: at,
    };
  }

  /** The concurrency lease and an environment were taken: the queue wait ends. */
  leased(): void {
    this.inv.leasedMs ??= this.now();
  }

  /** The environment's result came back. */
  ran(figures: RunFigures): void {
    const inv = this.inv;
    inv.resultMs = this.now();
    inv.durationMs = figures.durationMs;
    if (figures.initDurationMs !== undefined) inv.initDurationMs = figures.initDurationMs;
    if (figures.functionError !== undefined) inv.error = functionFailure(figures.functionError, figures.payload);
  }

  /** The invocation was refused or failed on the platform side (an AwsError to the caller); end it as usual after. */
  failed(err: unknown): void {
    this.inv.error ??=
      err instanceof AwsError ? { type: err.code, message: err.message } : { type: 'ServiceException', message: String(err) };
  }

  /** Ends without a response phase: an asynchronous attempt, whose answer goes to the queue's record. */
  finish(): void {
    this.end(false);
  }

  /**
   * Ends once `answered` settles (the answer is out): the response phase. An HTTP trigger's
   * promise gives the response's status code, recorded on the span.
   */
  respondedWhen(answered: Promise<unknown>): void {
    answered.then(
      (status) => {
        if (this.inv.trigger === 'http' && typeof status === 'number') (this.inv.attributes ??= {})['http.response.status_code'] = status;
        this.end(true);
      },
      () => this.end(true),
    );
  }

  private end(responded: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.inv.responded = responded;
    this.inv.endMs = this.now();
    this.sink.add(this.inv);
  }
}

/** Error payloads past this are not read for their errorType/errorMessage. */
const MAX_ERROR_PAYLOAD = 16 * 1024;
const MAX_MESSAGE = 1024;

/** The function's own account of its failure, when its error object is small enough to read. */
function functionFailure(functionError: string, payload: Buffer | undefined): { type: string; message: string } {
  const failure = { type: functionError, message: functionError };
  if (!payload || payload.length > MAX_ERROR_PAYLOAD) return failure;
  try {
    const body = JSON.parse(payload.toString('utf8')) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof body.errorType === 'string' && body.errorType) failure.type = body.errorType;
    if (typeof body.errorMessage === 'string') failure.message = body.errorMessage.slice(0, MAX_MESSAGE);
  } catch {
    // not JSON: FunctionError says enough
  }
  return failure;
}
