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
  /** A request CloudWatch cannot carry out as written (a metric math expression it cannot parse or evaluate). */
  validation: (message: string) => new AwsError('ValidationError', message, 400),
  /** A NextToken we did not issue. */
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The service cannot process the NextToken you specified.', 400),
  /** A named alarm that does not exist. */
  alarmNotFound: (name: string) => new AwsError('ResourceNotFound', `Alarm ${name} does not exist.`, 404),
  /** A JSON member that is not JSON (SetAlarmState's StateReasonData). */
  invalidFormat: (message: string) => new AwsError('InvalidFormatFault', message, 400),
} as const;

/** AWS's usual message for a bad value: `The value X for parameter P is invalid.` */
export const invalidParameter = (value: unknown, parameter: string) =>
  CloudWatchErrors.invalidValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);

/** AWS's message for a value outside an enum, at `member` (the member name, first letter lowercase). */
export const notInEnum = (value: unknown, member: string, allowed: readonly string[]) =>
  CloudWatchErrors.validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
