/**
 * The Lambda service as the edge sees it: the 2015-03-31 model plus one handler per implemented
 * operation. Lambda is regional, so each call runs the handlers of its scope (the account and
 * region of its caller), built on first use over that scope's LambdaDeps (regions.ts).
 * Operations absent here answer with the edge's "not implemented" error.
 */
import { loadModel } from '../kit/models/models.js';
import type { OperationHandler, ServiceDefinition } from '../kit/service-definition.js';
import { scopeKey, scopeOf, type Scope } from '../shared/scope.js';
import { aliasOperations } from './versions/alias-operations.js';
import { LIMITS } from './functions/function-rules.js';
import { LambdaErrors } from './lambda-errors.js';
import type { LambdaDeps } from './deps.js';
import { concurrencyOperations } from './concurrency/concurrency-operations.js';
import { eventInvokeConfigOperations } from './async/event-invoke-config-operations.js';
import { functionAccess } from './functions/function-access.js';
import { provisionedConcurrencyOperations } from './concurrency/provisioned-concurrency-operations.js';
import { functionOperations } from './functions/function-operations.js';
import { functionUrlOperations } from './urls/function-url-operations.js';
import { invokeOperation } from './invoke/invoke-operation.js';
import { invokeStreamOperation } from './invoke/invoke-stream-operation.js';
import { layerOperations } from './layers/layer-operations.js';
import { policyOperations } from './permissions/policy-operations.js';
import { tagOperations } from './functions/tag-operations.js';
import { versionOperations } from './versions/version-operations.js';

/** The handlers of Lambda in one scope. */
export function lambdaOperations(deps: LambdaDeps): Record<string, OperationHandler> {
  const access = functionAccess(deps);
  return {
    ...functionOperations(deps, access),
    ...versionOperations(deps, access),
    ...aliasOperations(deps, access),
    ...tagOperations(deps, access),
    ...policyOperations(deps, access),
    ...concurrencyOperations(deps, access),
    ...eventInvokeConfigOperations(deps, access),
    ...provisionedConcurrencyOperations(deps, access),
    ...functionUrlOperations(deps, access, deps.functionUrls),
    ...layerOperations(deps),
    Invoke: invokeOperation(deps),
    InvokeWithResponseStream: invokeStreamOperation(deps),
  };
}

const invokeBody = {
  maxBytes: LIMITS.syncPayloadBytes,
  // A payload a little too big is a common mistake: the SDK, mid-upload, must hear the 413.
  drainBytes: 16 * 1024 * 1024,
  tooLarge: () => LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`),
};

export function lambdaService(regions: { at(scope: Scope): LambdaDeps }, defaults: Scope): ServiceDefinition {
  const byScope = new Map<string, Record<string, OperationHandler>>();
  const handlersOf = (scope: Scope) => {
    const key = scopeKey(scope);
    let handlers = byScope.get(key);
    if (!handlers) byScope.set(key, (handlers = lambdaOperations(regions.at(scope))));
    return handlers;
  };
  const operations: Record<string, OperationHandler> = {};
  for (const name of Object.keys(handlersOf(defaults))) operations[name] = (input, ctx) => handlersOf(scopeOf(ctx))[name]!(input, ctx);
  return {
    signingName: 'lambda',
    model: loadModel('lambda'),
    serializationErrorCode: 'InvalidRequestContentException',
    payloadContentType: 'application/json',
    // IAM names both invoke operations lambda:InvokeFunction; the rest are lambda:<Operation>.
    access: {
      operations: {
        Invoke: () => ({ actions: ['lambda:InvokeFunction'] }),
        InvokeWithResponseStream: () => ({ actions: ['lambda:InvokeFunction'] }),
      },
    },
    // Invoke's payload is at most 6 MB: a larger body is refused from its Content-Length, unread.
    bodies: { Invoke: invokeBody, InvokeWithResponseStream: invokeBody },
    operations,
    // Lambda answers these enums with InvalidParameterValueException (Runtime: "... or be a valid
    // ARN", listing the runtimes Nimbus runs), not the edge's ValidationException.
    handlerEnums: {
      CreateFunction: ['Runtime'],
      UpdateFunctionConfiguration: ['Runtime'],
      Invoke: ['InvocationType', 'LogType'],
      InvokeWithResponseStream: ['ResponseStreamingInvocationType', 'LogType'],
      // Same words as the edge's; buildStatement checks it so that it stands alone.
      AddPermission: ['FunctionUrlAuthType'],
    },
  };
}
