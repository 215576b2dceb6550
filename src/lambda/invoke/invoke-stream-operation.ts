/**
 * InvokeWithResponseStream: Invoke's checks and run (start-invocation.ts), with
 * the answer an event stream (the model's `EventStream`, written by the edge as events come):
 * each piece a streaming function writes (Node.js `awslambda.streamifyResponse`) is a
 * `PayloadChunk` at once; a buffered function's whole response is one `PayloadChunk`, as on
 * AWS. One `InvokeComplete` ends the stream, with ErrorCode and ErrorDetails when the function
 * failed (even mid-stream) and LogResult for LogType Tail. The stream's first event carries the
 * head, so a throttle (429) or a platform fault before it is still an ordinary error response.
 * https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import type { InvokeResult, ResponseStreamSink } from '../../sandbox/types.js';
import { AsyncQueue } from '../../shared/async-queue.js';
import type { LambdaDeps } from '../deps.js';
import { decodeClientContext, eventOf, invocationTypeError, readLogType } from './invoke-request.js';
import { errorOf, type InvokeComplete } from './invoke-stream-events.js';
import { prepareInvocation } from './start-invocation.js';

/** ResponseStreamingInvocationType: no Event, the stream is the answer. */
const INVOCATION_TYPES = ['RequestResponse', 'DryRun'];

/** One event of InvokeWithResponseStreamResponseEvent. */
type StreamEvent = { PayloadChunk: { Payload: Buffer } } | { InvokeComplete: InvokeComplete };

export function invokeStreamOperation(deps: LambdaDeps): OperationHandler {
  return async function InvokeWithResponseStream(input, ctx) {
    const invocationType = input.InvocationType ?? 'RequestResponse';
    if (!INVOCATION_TYPES.includes(invocationType)) throw invocationTypeError(invocationType, INVOCATION_TYPES);
    const clientContext = decodeClientContext(input.ClientContext);
    const tail = readLogType(input.LogType);
    const events = new AsyncQueue<StreamEvent>();
    // The runtime's own Content-Type (application/octet-stream or the HTTP integration type)
    // matters to function URLs only: here the bytes, a prelude included, go out as they are.
    const sink: ResponseStreamSink = { begin() {}, write: (chunk) => events.push({ PayloadChunk: { Payload: chunk } }) };
    const prepared = await prepareInvocation(deps, {
      kind: 'invoke-stream',
      mode: invocationType === 'DryRun' ? 'check' : 'run',
      functionName: input.FunctionName,
      qualifier: input.Qualifier,
      payload: eventOf(input.Payload),
      requestId: ctx.requestId,
      ...(ctx.traceHeader !== undefined ? { traceHeader: ctx.traceHeader } : {}),
      ...(clientContext !== undefined ? { clientContext } : {}),
      tail,
      responseStream: sink,
      answered: () => ctx.responded,
    });
    if (invocationType === 'DryRun') return { StatusCode: 204 };
    // The run goes on while its events are written; its end closes the stream. A failure before
    // the first event (a throttle) is answered as an error; after it, the stream is cut.
    prepared.start().then((started) => {
      if (!started.ran) return events.end();
      const { result } = started;
      if (result.functionError) events.push({ InvokeComplete: { ...errorOf(result.payload), ...logOf(result) } });
      else {
        if (!result.streamed && result.payload.length > 0) events.push({ PayloadChunk: { Payload: result.payload } });
        events.push({ InvokeComplete: logOf(result) });
      }
      events.end();
    }, (err: unknown) => events.fail(err));
    return { StatusCode: 200, ExecutedVersion: prepared.executedVersion, EventStream: events };
  };
}

function logOf(result: InvokeResult): InvokeComplete {
  return result.logResult !== undefined ? { LogResult: result.logResult } : {};
}
