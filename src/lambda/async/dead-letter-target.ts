/**
 * DeadLetterConfig.TargetArn as CreateFunction and UpdateFunctionConfiguration accept it: the ARN
 * of an SQS queue or SNS topic. Lambda refuses anything else when the function is written rather
 * than when the first event fails, and so does Nimbus.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
 */
import { LambdaErrors } from '../lambda-errors.js';

/** arn:partition:sqs|sns:region:account:name, where a name has no ':' or '/'. */
const QUEUE_OR_TOPIC = /^arn:aws[a-zA-Z-]*:(sqs|sns):[a-z0-9-]+:\d{12}:[^:/]+$/;

/** The target a create stores: an empty TargetArn is refused, as Lambda does. */
export function deadLetterOnCreate(config: { TargetArn?: string } | undefined): string | undefined {
  if (config === undefined || config.TargetArn === undefined) return undefined;
  return checkDeadLetterTarget(config.TargetArn);
}

/** The target an update leaves: absent keeps the current one, an empty TargetArn removes it. */
export function deadLetterOnUpdate(config: { TargetArn?: string } | undefined, current: string | undefined): string | undefined {
  if (config === undefined) return current;
  if (!config.TargetArn) return undefined;
  return checkDeadLetterTarget(config.TargetArn);
}

function checkDeadLetterTarget(arn: string): string {
  if (!arn.startsWith('arn:')) throw LambdaErrors.invalidParameter("Invalid dead letter queue ARN: ARNs must start with 'arn:'");
  const service = arn.split(':')[2];
  if (service !== 'sqs' && service !== 'sns') {
    throw LambdaErrors.invalidParameter(`Invalid dead letter queue ARN: ${arn} is neither an SQS queue nor an SNS topic.`);
  }
  if (!QUEUE_OR_TOPIC.test(arn)) throw LambdaErrors.invalidParameter(`Invalid dead letter queue ARN: ${arn}`);
  return arn;
}
