/**
 * What Invoke and InvokeWithResponseStream read and check alike before anything runs: the
 * function and the version its qualifier names (an alias picks by its routing weights), the
 * event (6 MB, JSON), ClientContext and LogType. startInvocation uses the first two for every
 * trigger.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { type AwsError } from '../../shared/errors.js';
import { LambdaErrors } from '../lambda-errors.js';
import { functionArn, parseFunctionRef, resolveQualifier as mergeQualifier } from '../arn.js';
import type { LambdaDeps } from '../deps.js';
import type { ResolvedFunction } from '../functions/function-cache.js';
import { LIMITS } from '../functions/function-rules.js';
import { resolveQualifier } from '../versions/qualifier.js';

const EMPTY_EVENT = Buffer.from('{}');

/** The function an invoke names and the version that runs. */
export interface InvokeTarget {
  functionName: string;
  /** The qualifier as invoked (from the ARN or the Qualifier parameter). */
  qualifier: string | undefined;
  resolved: ResolvedFunction;
}

/** Resolves FunctionName and Qualifier from memory; ResourceNotFoundException when either names nothing. */
export async function resolveInvokeTarget(deps: LambdaDeps, functionName: string, qualifierParam: string | undefined): Promise<InvokeTarget> {
  const ref = parseFunctionRef(functionName, deps.scope);
  const qualifier = mergeQualifier(ref, qualifierParam);
  const state = await deps.functions.get(ref.name);
  if (!state) throw LambdaErrors.notFound(`Function not found: ${functionArn(deps.scope, ref.name, qualifier)}`);
  const { resolved } = resolveQualifier(state, qualifier, deps.scope, (deps.random ?? Math.random)());
  return { functionName: ref.name, qualifier, resolved };
}

/** AWS's validation error for an InvocationType outside the operation's enum. */
export function invocationTypeError(value: string, allowed: readonly string[]): AwsError {
  return LambdaErrors.invalidParameter(
    `1 validation error detected: Value '${value}' at 'invocationType' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

/** The event as given, `{}` when the body is empty. */
export function eventOf(payload: Buffer | undefined): Buffer {
  return payload && payload.length > 0 ? payload : EMPTY_EVENT;
}

/** A synchronous event: at most 6 MB, and JSON (Lambda refuses anything else before running). */
export function checkSyncEvent(payload: Buffer): void {
  if (payload.length > LIMITS.syncPayloadBytes) {
    throw LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`);
  }
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw LambdaErrors.invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
}

/** X-Amz-Client-Context: base64 of a JSON object of at most 3,583 bytes; undefined when absent. */
export function decodeClientContext(encoded: string | undefined): string | undefined {
  if (encoded === undefined) return undefined;
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

/** X-Amz-Log-Type: None or Tail; whether the log's tail is asked for. */
export function readLogType(logType: string | undefined): boolean {
  if (logType !== undefined && logType !== 'None' && logType !== 'Tail') {
    throw LambdaErrors.invalidParameter(
      `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
    );
  }
  return logType === 'Tail';
}
