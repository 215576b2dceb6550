/**
 * The Lambda service as the edge sees it: the 2015-03-31 model plus one handler per
 * implemented operation. Operations absent here answer with the edge's "not implemented" error.
 */
import { loadModel } from '../edge/models.js';
import type { ServiceDefinition } from '../edge/service.js';
import { aliasOperations } from './alias-operations.js';
import type { LambdaDeps } from './deps.js';
import { concurrencyOperations } from './concurrency-operations.js';
import { eventInvokeConfigOperations } from './event-invoke-config-operations.js';
import { functionAccess } from './function-access.js';
import { provisionedConcurrencyOperations } from './provisioned-concurrency-operations.js';
import { functionOperations } from './function-operations.js';
import { functionUrlOperations } from './function-url-operations.js';
import { invokeOperation } from './invoke-operation.js';
import { invokeStreamOperation } from './invoke-stream-operation.js';
import { layerOperations } from './layer-operations.js';
import { policyOperations } from './policy-operations.js';
import { tagOperations } from './tag-operations.js';
import { versionOperations } from './version-operations.js';

export function lambdaService(deps: LambdaDeps): ServiceDefinition {
  const access = functionAccess(deps);
  return {
    signingName: 'lambda',
    model: loadModel('lambda'),
    serializationErrorCode: 'InvalidRequestContentException',
    payloadContentType: 'application/json',
    operations: {
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
    },
  };
}
