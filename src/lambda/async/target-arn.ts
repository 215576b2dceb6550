/**
 * The ARNs Lambda sends events on to: a DeadLetterConfig target (an SQS queue or SNS topic) and
 * the OnSuccess/OnFailure destinations of asynchronous invocation (a Lambda function, SQS queue,
 * SNS topic or EventBridge event bus). Lambda refuses a wrong one when it is written, not when
 * the first event fails: a service that cannot be a target, another region, or an empty name is
 * InvalidParameterValueException.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import type { Scope } from '../../shared/scope.js';
import { LambdaErrors } from '../lambda-errors.js';

/** An ARN split into its six parts. */
export interface TargetArn {
  service: string;
  region: string;
  accountId: string;
  /** What follows the account: `queue-name`, `function:name[:qualifier]`, `event-bus/name`. */
  resource: string;
}

const ARN = /^arn:aws[a-zA-Z-]*:([^:]*):([^:]*):([^:]*):(.*)$/;

/**
 * Checks `arn` as a target in `scope`, naming it `what` in errors ("dead letter queue",
 * "destination"); `services` are those that may receive it.
 */
export function checkTargetArn(arn: string, scope: Scope, services: readonly string[], what: string): TargetArn {
  if (!arn.startsWith('arn:')) throw LambdaErrors.invalidParameter(`Invalid ${what} ARN: ARNs must start with 'arn:'`);
  const match = ARN.exec(arn);
  if (!match) throw LambdaErrors.invalidParameter(`Invalid ${what} ARN: ${arn}`);
  const [, service, region, accountId, resource] = match as unknown as [string, string, string, string, string];
  if (!services.includes(service)) {
    throw LambdaErrors.invalidParameter(`Invalid ${what} ARN: ${arn}. The ${what} must be ${listed(services)}.`);
  }
  if (region !== scope.region) {
    throw LambdaErrors.invalidParameter(`Invalid ${what} ARN: ${arn}. The ${what} must be in the function's region, ${scope.region}.`);
  }
  if (!/^\d{12}$/.test(accountId)) throw LambdaErrors.invalidParameter(`Invalid ${what} ARN: ${arn}. The account id must be 12 digits.`);
  if (!resourceName(service, resource)) throw LambdaErrors.invalidParameter(`Invalid ${what} ARN: ${arn}. The ARN names no ${kind(service)}.`);
  return { service, region, accountId, resource };
}

/** The name an ARN's resource part gives, by the form each service uses; '' when it has none. */
function resourceName(service: string, resource: string): string {
  if (service === 'lambda') return /^function:([a-zA-Z0-9_-]+)(:[a-zA-Z0-9$_-]+)?$/.exec(resource)?.[1] ?? '';
  if (service === 'events') return /^event-bus\/([\w.\-/]+)$/.exec(resource)?.[1] ?? '';
  return /^[\w.-]+$/.test(resource) ? resource : '';
}

const KINDS: Record<string, string> = { sqs: 'an SQS queue', sns: 'an SNS topic', lambda: 'a Lambda function', events: 'an EventBridge event bus' };
const kind = (service: string) => (KINDS[service] ?? service).replace(/^an? /, '');
const listed = (services: readonly string[]) => {
  const names = services.map((s) => KINDS[s] ?? s);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
};
