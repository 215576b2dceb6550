/**
 * The steps every call takes once its input has been read, whichever way it came (the edge or
 * an in-process call): find the handler, work out what the call asks of IAM, let the one
 * authorizer decide, run the handler. The edge and InProcessCalls both end here, so neither can
 * skip authorization.
 */
import { AwsError } from '../shared/errors.js';
import type { Authorizer } from './authorization.js';
import type { OperationContext } from './operation-context.js';
import { accessRequestOf, type ServiceDefinition } from './service-definition.js';

/** The handler of `operation`, when the service implements it (own properties only). */
export function handlerOf(definition: ServiceDefinition, operation: string) {
  return Object.hasOwn(definition.operations, operation) ? definition.operations[operation] : undefined;
}

/** A model operation no handler implements yet: AWS-shaped, and not the caller's fault. */
export function notImplemented(definition: ServiceDefinition, operation: string): AwsError {
  return new AwsError('NotImplementedException', `The operation ${operation} of ${definition.signingName} is not implemented.`, 501, {
    Type: 'Service',
  });
}

/** Authorizes the call, then runs its handler; resolves with the handler's output. */
export async function runOperation(
  definition: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
  ctx: OperationContext,
  authorize: Authorizer,
): Promise<unknown> {
  const handler = handlerOf(definition, operation);
  if (!handler) throw notImplemented(definition, operation);
  const access = accessRequestOf(definition, operation, input, ctx);
  // Awaited only when the authorizer is asynchronous: a call it allows at once costs no extra turn.
  const decided = authorize({ actions: access.actions, resources: access.resources, caller: ctx.caller, accountId: ctx.accountId, region: ctx.region, via: ctx.via });
  if (decided) await decided;
  return handler(input, ctx);
}
