/**
 * CloudWatch's error shapes. Codes are the model's shape names (what SDK v3 raises); the edge's
 * protocols write the older query codes (`InvalidParameterValue`, ...) where the wire wants them
 * (edge/protocols/query/query-errors.ts). Messages follow AWS's wording.
 */
import { errorCatalogue } from '../../kit/error-catalogue.js';
import { loadModel } from '../../kit/models/models.js';

/** CloudWatch's errors, by situation: the model's shape names, statuses from the model. */
export const CloudWatchErrors = errorCatalogue(loadModel('cloudwatch'), {
  /** A parameter's value is not acceptable. */
  invalidValue: { code: 'InvalidParameterValueException' },
  /** Parameters that cannot go together, or a required one of a group is missing. */
  invalidCombination: { code: 'InvalidParameterCombinationException' },
  /** A parameter that must be given is missing. */
  missingParameter: { code: 'MissingRequiredParameterException' },
  /** A request CloudWatch cannot carry out as written (a metric math expression it cannot parse or evaluate). */
  validation: {
    code: 'ValidationError',
    offModel: { status: 400, reason: "the query services' validation failure, which CloudWatch sends and its model does not list" },
  },
  /** A NextToken we did not issue. */
  invalidNextToken: { code: 'InvalidNextToken' },
  /** A named alarm that does not exist. */
  resourceNotFound: { code: 'ResourceNotFound' },
  /** A JSON member that is not JSON (SetAlarmState's StateReasonData). */
  invalidFormat: { code: 'InvalidFormatFault' },
  /** Two writers of one alarm at once. */
  concurrentModification: { code: 'ConcurrentModificationException' },
});

/** AWS's message for a NextToken it did not issue. */
export const invalidNextToken = () => CloudWatchErrors.invalidNextToken('The service cannot process the NextToken you specified.');

/** AWS's message for an alarm that does not exist. */
export const alarmNotFound = (name: string) => CloudWatchErrors.resourceNotFound(`Alarm ${name} does not exist.`);

/** AWS's usual message for a bad value: `The value X for parameter P is invalid.` */
export const invalidParameter = (value: unknown, parameter: string) =>
  CloudWatchErrors.invalidValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);

/** AWS's message for a value outside an enum, at `member` (the member name, first letter lowercase). */
export const notInEnum = (value: unknown, member: string, allowed: readonly string[]) =>
  CloudWatchErrors.validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
