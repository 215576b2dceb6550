/** CloudWatch Logs' errors (kit/error-catalogue.ts), with AWS's fixed messages where it has them. */
import { errorCatalogue } from '../../kit/error-catalogue.js';
import { loadModel } from '../../kit/models/models.js';

/** The catalogue: the model's shape names; statuses from the model. */
export const LogsErrorCatalogue = errorCatalogue(loadModel('logs'), {
  notFound: { code: 'ResourceNotFoundException' },
  alreadyExists: { code: 'ResourceAlreadyExistsException' },
  invalidParameter: { code: 'InvalidParameterException' },
});

export const LogsErrors = {
  groupNotFound: () => LogsErrorCatalogue.notFound('The specified log group does not exist.'),
  streamNotFound: () => LogsErrorCatalogue.notFound('The specified log stream does not exist.'),
  groupExists: () => LogsErrorCatalogue.alreadyExists('The specified log group already exists'),
  streamExists: () => LogsErrorCatalogue.alreadyExists('The specified log stream already exists'),
  invalidParameter: (message: string) => LogsErrorCatalogue.invalidParameter(message),
} as const;
