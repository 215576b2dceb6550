/** CloudWatch Logs' error shapes (JSON protocol: the edge writes `__type`). */
import { AwsError } from '../../shared/errors.js';

export const LogsErrors = {
  groupNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400),
  streamNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.', 400),
  groupExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400),
  streamExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message, 400),
} as const;
