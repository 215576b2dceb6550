/**
 * An alarm as the API shows it (MetricAlarm), and the history items CloudWatch records for it:
 *   ConfigurationUpdate  `Alarm "NAME" created|updated|deleted`, HistoryData
 *                        `{"version":"1.0","type":"Create","createdAlarm":{...}}`
 *   StateUpdate          `Alarm updated from OK to ALARM`, HistoryData
 *                        `{"version":"1.0","oldState":{...},"newState":{...}}`
 *   Action               one per action of the new state when actions are enabled, written by
 *                        alarm-actions.ts once it ran (`Successfully executed action ARN`).
 * State changes go through `transition`, the one place a new state and its history are decided.
 */
import type { Scope } from '../../../shared/scope.js';
import type { AlarmRecord, AlarmStateValue, NewAlarmHistory } from '../store/alarm-store.js';
import { cloudWatchTimestamp } from './alarm-reason.js';


/** `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME` */
export const alarmArn = (p: Scope, name: string): string => `arn:aws:cloudwatch:${p.region}:${p.accountId}:alarm:${name}`;

/** The MetricAlarm shape of DescribeAlarms and DescribeAlarmsForMetric. */
export function toMetricAlarm(a: AlarmRecord, p: Scope): Record<string, unknown> {
  return strip({
    AlarmName: a.name,
    AlarmArn: alarmArn(p, a.name),
    AlarmDescription: a.description,
    AlarmConfigurationUpdatedTimestamp: new Date(a.configurationUpdatedTimestamp),
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.stateValue,
    StateReason: a.stateReason,
    StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: new Date(a.stateUpdatedTimestamp),
    StateTransitionedTimestamp: new Date(a.stateTransitionedTimestamp),
    MetricName: a.metricName,
    Namespace: a.namespace,
    Statistic: a.statistic,
    ExtendedStatistic: a.extendedStatistic,
    Dimensions: a.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
    Period: a.period,
    Unit: a.unit,
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator,
    TreatMissingData: a.treatMissingData,
    EvaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile,
  });
}

/** The alarm inside a ConfigurationUpdate's HistoryData, member names as CloudWatch writes them. */
function configurationDocument(a: Omit<AlarmRecord, 'revision'>, p: Scope): Record<string, unknown> {
  return strip({
    alarmName: a.name,
    alarmDescription: a.description,
    alarmArn: alarmArn(p, a.name),
    alarmConfigurationUpdatedTimestamp: cloudWatchTimestamp(a.configurationUpdatedTimestamp),
    namespace: a.namespace,
    metricName: a.metricName,
    statistic: a.statistic,
    extendedStatistic: a.extendedStatistic,
    period: a.period,
    unit: a.unit,
    dimensions: a.dimensions.map((d) => ({ value: d.value, name: d.name })),
    threshold: a.threshold,
    comparisonOperator: a.comparisonOperator,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    treatMissingData: a.treatMissingData,
    evaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile,
    stateValue: a.stateValue,
    stateUpdatedTimestamp: cloudWatchTimestamp(a.stateUpdatedTimestamp),
    actionsEnabled: a.actionsEnabled,
    alarmActions: a.alarmActions,
    insufficientDataActions: a.insufficientDataActions,
    // Sic: CloudWatch spells this one member in lower case.
    okactions: a.okActions,
  });
}

const VERB = { Create: 'created', Update: 'updated', Delete: 'deleted' } as const;
const MEMBER = { Create: 'createdAlarm', Update: 'updatedAlarm', Delete: 'deletedAlarm' } as const;

/** A ConfigurationUpdate item: the alarm after (or, deleted, before) the change; an update also shows the original. */
export function configurationHistory(
  type: 'Create' | 'Update' | 'Delete',
  alarm: Omit<AlarmRecord, 'revision'>,
  p: Scope,
  now: number,
  original?: AlarmRecord,
): NewAlarmHistory {
  const data: Record<string, unknown> = { version: '1.0', type, [MEMBER[type]]: configurationDocument(alarm, p) };
  if (original) data.originalAlarm = configurationDocument(original, p);
  return { alarmName: alarm.name, timestamp: now, itemType: 'ConfigurationUpdate', summary: `Alarm "${alarm.name}" ${VERB[type]}`, data: JSON.stringify(data) };
}

/** A state and why, as an alarm holds it. */
export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  /** JSON text. */
  reasonData?: string;
}

// StateReasonData is JSON text already (ours, or checked by SetAlarmState): embedded as it is.
const stateDocument = (s: AlarmState) =>
  `{"stateValue":${JSON.stringify(s.value)},"stateReason":${JSON.stringify(s.reason)}${s.reasonData ? `,"stateReasonData":${s.reasonData}` : ''}}`;

/**
 * The alarm in its new state and the history that records the change: a StateUpdate item. (What
 * its actions then do is recorded by alarm-actions.ts, once the change is saved.)
 */
export function transition(alarm: AlarmRecord, next: AlarmState, now: number): { alarm: AlarmRecord; history: NewAlarmHistory[] } {
  const previous: AlarmState = { value: alarm.stateValue, reason: alarm.stateReason, reasonData: alarm.stateReasonData };
  const updated: AlarmRecord = {
    ...alarm,
    stateValue: next.value,
    stateReason: next.reason,
    stateReasonData: next.reasonData,
    stateUpdatedTimestamp: now,
    stateTransitionedTimestamp: next.value === alarm.stateValue ? alarm.stateTransitionedTimestamp : now,
  };
  const history: NewAlarmHistory[] = [
    {
      alarmName: alarm.name,
      timestamp: now,
      itemType: 'StateUpdate',
      summary: `Alarm updated from ${previous.value} to ${next.value}`,
      data: `{"version":"1.0","oldState":${stateDocument(previous)},"newState":${stateDocument(next)}}`,
    },
  ];
  return { alarm: updated, history };
}

/** Drops undefined members, so the wire shows only what is set. */
function strip(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
