/**
 * The sandbox's platform faults as Lambda answers them: a run the platform could not start is a
 * ServiceException, or a throttle when capacity is the reason, or InvalidRuntimeException.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
 */
import type { AwsError } from '../../shared/errors.js';
import type { SandboxFault } from '../../sandbox/sandbox-fault.js';
import { LambdaErrors, throttled } from '../lambda-errors.js';

export function lambdaErrorOf(fault: SandboxFault): AwsError {
  switch (fault.kind) {
    case 'no-environment':
    case 'draining':
      return LambdaErrors.service(fault.message);
    case 'scale-up-rate':
    case 'capacity':
      return throttled('ConcurrentInvocationLimitExceeded');
    case 'unsupported-runtime':
      return LambdaErrors.invalidRuntime(fault.message);
  }
}
