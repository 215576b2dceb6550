/**
 * The Lambda service as the edge sees it: the 2015-03-31 model plus one handler per
 * implemented operation. Operations absent here answer with the edge's "not implemented" error.
 */
import { loadModel } from '../edge/models.js';
import type { ServiceDefinition } from '../edge/service.js';
import type { LambdaDeps } from './deps.js';
import { functionOperations } from './function-operations.js';
import { invokeOperation } from './invoke-operation.js';

export function lambdaService(deps: LambdaDeps): ServiceDefinition {
  return {
    signingName: 'lambda',
    model: loadModel('lambda'),
    serializationErrorCode: 'InvalidRequestContentException',
    payloadContentType: 'application/json',
    operations: {
      ...functionOperations(deps),
      Invoke: invokeOperation(deps),
    },
  };
}
