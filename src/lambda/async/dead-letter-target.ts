/**
 * DeadLetterConfig.TargetArn as CreateFunction and UpdateFunctionConfiguration accept it: the ARN
 * of an SQS queue or SNS topic of the function's region (target-arn.ts).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
 */
import type { Scope } from '../../shared/scope.js';
import { checkTargetArn } from './target-arn.js';

const DEAD_LETTER_SERVICES = ['sqs', 'sns'] as const;

/** The target a create stores: an empty TargetArn is refused, as Lambda does. */
export function deadLetterOnCreate(config: { TargetArn?: string } | undefined, scope: Scope): string | undefined {
  if (config === undefined || config.TargetArn === undefined) return undefined;
  checkTargetArn(config.TargetArn, scope, DEAD_LETTER_SERVICES, 'dead letter queue');
  return config.TargetArn;
}

/** The target an update leaves: absent keeps the current one, an empty TargetArn removes it. */
export function deadLetterOnUpdate(config: { TargetArn?: string } | undefined, current: string | undefined, scope: Scope): string | undefined {
  if (config === undefined) return current;
  if (!config.TargetArn) return undefined;
  checkTargetArn(config.TargetArn, scope, DEAD_LETTER_SERVICES, 'dead letter queue');
  return config.TargetArn;
}
