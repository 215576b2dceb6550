/**
 * Invoke: the hot path. Resolve the function from memory, check the request, hand the event
 * to the sandbox, and return what the function produced. A function's failure comes back as
 * a result with X-Amz-Function-Error, never as an API error.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { OperationHandler } from '../edge/service.js';
import { LambdaErrors } from '../shared/errors.js';
import { functionArn, parseFunctionRef, resolveQualifier } from './arn.js';
import type { LambdaDeps } from './deps.js';
import { LIMITS } from './function-rules.js';

const EMPTY_EVENT = Buffer.from('{}');

export function invokeOperation(deps: LambdaDeps): OperationHandler {
  const { partition } = deps;

  return async function Invoke(input, ctx) {
    const ref = parseFunctionRef(input.FunctionName, partition);
    const qualifier = resolveQualifier(ref, input.Qualifier);
    const notFound = () => LambdaErrors.notFound(`Function not found: ${functionArn(partition, ref.name, qualifier)}`);
    if (qualifier !== undefined && qualifier !== '$LATEST') throw notFound();
    const resolved = await deps.functions.get(ref.name);
    if (!resolved) throw notFound();

    const invocationType = input.InvocationType ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse' && invocationType !== 'DryRun' && invocationType !== 'Event') {
      throw LambdaErrors.invalidParameter(
        `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [Event, RequestResponse, DryRun]',
      );
    }
    if (invocationType === 'Event') {
      // Accepting an event we cannot yet keep durably would break "nothing accepted is lost".
      throw LambdaErrors.invalidParameter('Asynchronous invocation (InvocationType Event) is not supported by this Nimbus version yet.');
    }
    const payload: Buffer = input.Payload && input.Payload.length > 0 ? input.Payload : EMPTY_EVENT;
    if (payload.length > LIMITS.syncPayloadBytes) {
      throw LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`);
    }
    checkJson(payload);
    const clientContext = input.ClientContext !== undefined ? decodeClientContext(input.ClientContext) : undefined;
    if (input.LogType !== undefined && input.LogType !== 'None' && input.LogType !== 'Tail') {
      throw LambdaErrors.invalidParameter(
        `1 validation error detected: Value '${input.LogType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
      );
    }
    if (invocationType === 'DryRun') return { StatusCode: 204 };

    const result = await deps.executor.invoke(resolved.spec, {
      requestId: randomUUID(),
      payload,
      invokedFunctionArn: functionArn(partition, ref.name, qualifier),
      ...(clientContext !== undefined ? { clientContext } : {}),
      traceId: traceId(ctx.request.headers['x-amzn-trace-id'], deps.clock.now()),
      tail: input.LogType === 'Tail',
    });
    return {
      StatusCode: 200,
      Payload: result.payload,
      ExecutedVersion: resolved.record.version,
      ...(result.functionError ? { FunctionError: result.functionError } : {}),
      ...(result.logResult !== undefined ? { LogResult: result.logResult } : {}),
    };
  };
}

/** Lambda refuses an event that is not JSON before running anything. */
function checkJson(payload: Buffer): void {
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw LambdaErrors.invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
}

function decodeClientContext(encoded: string): string {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  if (Buffer.byteLength(text) > LIMITS.clientContextBytes) {
    throw LambdaErrors.invalidParameter(`Client context must be smaller than ${LIMITS.clientContextBytes} bytes.`);
  }
  try {
    JSON.parse(text);
  } catch {
    throw LambdaErrors.invalidParameter('Client context must be a valid Base64-encoded JSON object.');
  }
  return text;
}

/** Propagates the caller's X-Ray header when present (it is not in Invoke's model). */
function traceId(header: string | string[] | undefined, now: number): string {
  if (typeof header === 'string' && header.length > 0) return header;
  const epoch = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Sampled=0`;
}
