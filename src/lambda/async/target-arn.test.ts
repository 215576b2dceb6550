import { describe, expect, it } from 'vitest';
import { checkTargetArn } from './target-arn.js';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };
const DESTINATIONS = ['lambda', 'sqs', 'sns', 'events'];

describe('checkTargetArn', () => {
  it.each([
    ['arn:aws:sqs:us-east-1:000000000000:q', 'sqs'],
    ['arn:aws:sns:us-east-1:111111111111:topic.fifo', 'sns'],
    ['arn:aws:lambda:us-east-1:000000000000:function:f', 'lambda'],
    ['arn:aws:lambda:us-east-1:000000000000:function:f:live', 'lambda'],
    ['arn:aws:events:us-east-1:000000000000:event-bus/default', 'events'],
  ])('accepts %s', (arn, service) => {
    expect(checkTargetArn(arn, SCOPE, DESTINATIONS, 'destination').service).toBe(service);
  });

  it.each([
    ['', "Invalid destination ARN: ARNs must start with 'arn:'"],
    ['sqs:q', "Invalid destination ARN: ARNs must start with 'arn:'"],
    ['arn:aws:sqs:us-east-1', 'Invalid destination ARN: arn:aws:sqs:us-east-1'],
    ['arn:aws:s3:::bucket', 'The destination must be a Lambda function, an SQS queue, an SNS topic or an EventBridge event bus.'],
    ['arn:aws:dynamodb:us-east-1:000000000000:table/t', 'must be a Lambda function, an SQS queue'],
    ['arn:aws:sqs:eu-west-1:000000000000:q', "The destination must be in the function's region, us-east-1."],
    ['arn:aws:sqs:us-east-1:0000:q', 'The account id must be 12 digits.'],
    ['arn:aws:sqs:us-east-1:000000000000:', 'The ARN names no SQS queue.'],
    ['arn:aws:lambda:us-east-1:000000000000:function:', 'The ARN names no Lambda function.'],
    ['arn:aws:lambda:us-east-1:000000000000:layer:l', 'The ARN names no Lambda function.'],
    ['arn:aws:events:us-east-1:000000000000:rule/r', 'The ARN names no EventBridge event bus.'],
  ])('refuses %j', (arn, message) => {
    let error: any;
    try {
      checkTargetArn(arn, SCOPE, DESTINATIONS, 'destination');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(error.message).toContain(message);
  });

  it('names the services a dead letter queue may be', () => {
    expect(() => checkTargetArn('arn:aws:lambda:us-east-1:000000000000:function:f', SCOPE, ['sqs', 'sns'], 'dead letter queue')).toThrow(
      'The dead letter queue must be an SQS queue or an SNS topic.',
    );
  });
});
