/**
 * InvokeWithResponseStream: Invoke's checks and run (invoke-request.ts, run-invocation.ts), with
 * the answer written as an event stream while the function runs: each piece a streaming
 * function writes (Node.js `awslambda.streamifyResponse`) leaves at once as a `PayloadChunk`;
 * a buffered function's whole response is one `PayloadChunk`, as on AWS. One `InvokeComplete`
 * ends the stream, with ErrorCode and ErrorDetails when the function failed (even mid-stream)
 * and LogResult for LogType Tail. The head goes out with the first event, so a throttle (429)
 * or a platform fault before it is still an ordinary error response.
 * https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html
 */
import type { ServerResponse } from 'node:http';
import { rawResponse } from '../../kit/raw-response.js';
import type { OperationHandler } from '../../kit/service-definition.js';
import type { InvokeResult, ResponseStreamSink } from '../../sandbox/types.js';
import type { LambdaDeps } from '../deps.js';
import {
  checkSyncEvent,
  decodeClientContext,
  eventOf,
  invocationTypeError,
  readLogType,
  resolveInvokeTarget,
  syncInvocation,
  traceDecisionOf,
} from './invoke-request.js';
import { errorOf, EVENT_STREAM_CONTENT_TYPE, invokeComplete, payloadChunk, type InvokeComplete } from './invoke-stream-events.js';
import { runInvocation } from './run-invocation.js';

/** ResponseStreamingInvocationType: no Event, the stream is the answer. */
const INVOCATION_TYPES = ['RequestResponse', 'DryRun'];

export function invokeStreamOperation(deps: LambdaDeps): OperationHandler {
  return async function InvokeWithResponseStream(input, ctx) {
    const target = await resolveInvokeTarget(deps, input.FunctionName, input.Qualifier);
    const invocationType = input.InvocationType ?? 'RequestResponse';
    if (!INVOCATION_TYPES.includes(invocationType)) throw invocationTypeError(invocationType, INVOCATION_TYPES);
    const payload = eventOf(input.Payload);
    checkSyncEvent(payload);
    const clientContext = decodeClientContext(input.ClientContext);
    const tail = readLogType(input.LogType);
    if (invocationType === 'DryRun') return { StatusCode: 204 };
    const decision = traceDecisionOf(deps, ctx, target);

    return rawResponse(async (res) => {
      const stream = new InvokeEventStream(res, target.resolved.record.version);
      const invocation = syncInvocation(deps, ctx, target, { payload, clientContext, tail, decision, responseStream: stream });
      const { trace } = invocation;
      trace?.respondOn(res);
      let result: InvokeResult;
      try {
        result = await runInvocation(deps, invocation);
      } catch (err) {
        // Before the head (a throttle): answered as an error; after it, the edge cuts the stream.
        trace?.failed(err);
        throw err;
      }
      trace?.ran(result);
      if (result.functionError) return stream.end({ ...errorOf(result.payload), ...logOf(result) });
      if (!result.streamed && result.payload.length > 0) stream.write(result.payload);
      stream.end(logOf(result));
    });
  };
}

function logOf(result: InvokeResult): InvokeComplete {
  return result.logResult !== undefined ? { LogResult: result.logResult } : {};
}

/** Writes the chunks a runtime streams as PayloadChunk events, the head with the first of them. */
class InvokeEventStream implements ResponseStreamSink {
  constructor(
    private readonly res: ServerResponse,
    private readonly executedVersion: string,
  ) {}

  begin(): void {
    // The runtime's own Content-Type (application/octet-stream or the HTTP integration type)
    // matters to function URLs only: here the bytes, a prelude included, go out as they are.
  }

  write(chunk: Buffer): void {
    if (this.res.destroyed) return;
    this.start();
    this.res.write(payloadChunk(chunk));
  }

  end(complete: InvokeComplete): void {
    if (this.res.destroyed) return;
    this.start();
    this.res.end(invokeComplete(complete));
  }

  private start(): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, { 'Content-Type': EVENT_STREAM_CONTENT_TYPE, 'X-Amz-Executed-Version': this.executedVersion });
    this.res.flushHeaders();
  }
}
