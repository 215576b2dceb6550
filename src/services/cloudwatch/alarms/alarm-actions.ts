/**
 * What an alarm does when it changes state: each action of the new state, when its actions are
 * enabled. A Lambda function is invoked asynchronously in-process as CloudWatch's service
 * principal (`lambda.alarms.cloudwatch.amazonaws.com`, which the function's resource policy
 * must allow once IAM is enforced), with the event AWS sends; other targets (SNS, Auto
 * Scaling, EC2) are recorded as pending. Each outcome becomes an `Action` history item.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html
 */
import { serviceCaller } from '../../../kit/operation-context.js';
import type { ServiceCalls } from '../../../kit/service-calls.js';
import { LambdaApi } from '../../../lambda/api.js';
import type { Logger } from '../../../shared/logger.js';
import type { AlarmRecord, AlarmStateValue, AlarmStore, NewAlarmHistory } from '../store/alarm-store.js';
import type { Scope } from '../../../shared/scope.js';
import { alarmArn } from './alarm-history.js';
import { cloudWatchTimestamp } from './alarm-reason.js';

/** The principal CloudWatch invokes Lambda actions as. */
export const ALARM_ACTION_PRINCIPAL = 'lambda.alarms.cloudwatch.amazonaws.com';

const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[^:]+(:[^:]+)?$/;

/** The actions configured for a state. */
export const actionsFor = (a: AlarmRecord, state: AlarmStateValue): string[] =>
  state === 'ALARM' ? a.alarmActions : state === 'OK' ? a.okActions : a.insufficientDataActions;

export interface AlarmActionsDeps {
  alarms: AlarmStore;
  calls: ServiceCalls;
  logger: Logger;
}

/** Runs the actions of a state change (`before` → `after`, as saved) and records what each did. */
export async function runAlarmActions(deps: AlarmActionsDeps, before: AlarmRecord, after: AlarmRecord): Promise<void> {
  if (!after.actionsEnabled || after.stateValue === before.stateValue) return;
  const history: NewAlarmHistory[] = [];
  for (const arn of actionsFor(after, after.stateValue)) {
    const item = (summary: string, data: Record<string, unknown>): NewAlarmHistory => ({
      alarmName: after.name,
      timestamp: after.stateUpdatedTimestamp,
      itemType: 'Action',
      summary: summary.length > 255 ? `${summary.slice(0, 252)}...` : summary,
      data: JSON.stringify({ stateUpdateTimestamp: after.stateUpdatedTimestamp, notificationResource: arn, ...data }),
    });
    const lambda = LAMBDA_ARN.exec(arn);
    if (!lambda) {
      history.push(item(`Action pending delivery: ${arn}`, { actionState: 'Pending', reason: 'Nimbus delivers alarm actions to Lambda functions only so far; this one is recorded.' }));
      continue;
    }
    try {
      await deps.calls.call(
        LambdaApi.Invoke,
        { FunctionName: arn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(alarmEvent(after, before, after))) },
        { caller: serviceCaller(ALARM_ACTION_PRINCIPAL, after.accountId, alarmArn(after, after.name)), region: lambda[1]! },
      );
      history.push(item(`Successfully executed action ${arn}`, { actionState: 'Succeeded' }));
    } catch (err) {
      const error = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      deps.logger.warn('alarm action failed', { alarm: after.name, action: arn, error });
      history.push(item(`Failed to execute action ${arn}. Received error: "${error}"`, { actionState: 'Failed', error }));
    }
  }
  if (history.length > 0) await deps.alarms.appendHistory(after, history);
}

/** The event a Lambda alarm action receives, as AWS shapes it. */
export function alarmEvent(p: Scope, before: AlarmRecord, after: AlarmRecord): Record<string, unknown> {
  const state = (a: AlarmRecord) => ({
    value: a.stateValue,
    reason: a.stateReason,
    ...(a.stateReasonData !== undefined ? { reasonData: a.stateReasonData } : {}),
    timestamp: cloudWatchTimestamp(a.stateUpdatedTimestamp),
  });
  return {
    source: 'aws.cloudwatch',
    alarmArn: alarmArn(p, after.name),
    accountId: p.accountId,
    time: cloudWatchTimestamp(after.stateUpdatedTimestamp),
    region: p.region,
    alarmData: {
      alarmName: after.name,
      state: state(after),
      previousState: state(before),
      configuration: {
        ...(after.description !== undefined ? { description: after.description } : {}),
        metrics: [
          {
            id: after.name,
            metricStat: {
              metric: {
                namespace: after.namespace,
                name: after.metricName,
                dimensions: Object.fromEntries(after.dimensions.map((d) => [d.name, d.value])),
              },
              period: after.period,
              stat: after.statistic ?? after.extendedStatistic,
              ...(after.unit !== undefined ? { unit: after.unit } : {}),
            },
            returnData: true,
          },
        ],
      },
    },
  };
}
