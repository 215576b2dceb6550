/**
 * CloudWatch's error shapes. Codes are the model's shape names (what SDK v3 raises); the edge's
 * protocols write the older query codes (`InvalidParameterValue`, ...) where the wire wants them
 * (edge/protocols/query-errors.ts). Messages follow AWS's wording.
 */
import { AwsError } from '../../shared/errors.js';

/** CloudWatch's errors, by situation. */
export const CloudWatchErrors = {
  /** A parameter's value is not acceptable. */
  invalidValue: (message: string) => new AwsError('InvalidParameterValueException', message, 400),
  /** Parameters that cannot go together, or a required one of a group is missing. */
  invalidCombination: (message: string) => new AwsError('InvalidParameterCombinationException', message, 400),
  /** A parameter that must be given is missing. */
  missingParameter: (message: string) => new AwsError('MissingRequiredParameterException', message, 400),
  /** A NextToken we did not issue. */
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The service cannot process the NextToken you specified.', 400),
} as const;

/** AWS's usual message for a bad value: `The value X for parameter P is invalid.` */
export const invalidParameter = (value: unknown, parameter: string) =>
  CloudWatchErrors.invalidValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);
