/**
 * Lambda's errors, named once (kit/error-catalogue.ts): codes are the model's shape names and
 * statuses the model's, except the three AWS sends without listing them. Messages follow AWS's
 * wording at each call site.
 * https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
 */
import { errorCatalogue } from '../kit/error-catalogue.js';
import { loadModel } from '../kit/models/models.js';

const USER = { Type: 'User' };

export const LambdaErrors = errorCatalogue(loadModel('lambda'), {
  notFound: { code: 'ResourceNotFoundException', fields: USER },
  conflict: { code: 'ResourceConflictException', fields: USER },
  invalidParameter: { code: 'InvalidParameterValueException', fields: USER },
  invalidRequestContent: { code: 'InvalidRequestContentException', fields: USER },
  codeStorageExceeded: { code: 'CodeStorageExceededException', fields: USER },
  preconditionFailed: { code: 'PreconditionFailedException', fields: USER },
  tooManyRequests: { code: 'TooManyRequestsException', fields: USER },
  provisionedConfigNotFound: { code: 'ProvisionedConcurrencyConfigNotFoundException', fields: USER },
  invalidRuntime: { code: 'InvalidRuntimeException', fields: USER },
  service: { code: 'ServiceException', fields: { Type: 'Service' } },
  tooLarge: {
    code: 'RequestEntityTooLargeException',
    fields: USER,
    offModel: { status: 413, reason: 'Invoke answers a payload over its limit with this code; the model lists RequestTooLargeException' },
  },
  validation: {
    code: 'ValidationException',
    offModel: { status: 400, reason: "Lambda answers its model's constraint failures with ValidationException, which the model does not list" },
  },
  accessDenied: {
    code: 'AccessDeniedException',
    offModel: { status: 403, reason: "IAM's denial, answered by every AWS service and listed in none of their models" },
  },
});

/** Lambda's throttle: 429 with the Reason member and `Retry-After`, as the Invoke API documents it. */
export function throttled(reason: string, retryAfterSeconds = 1) {
  return LambdaErrors.tooManyRequests('Rate Exceeded.', { fields: { Reason: reason }, headers: { 'Retry-After': String(retryAfterSeconds) } });
}
