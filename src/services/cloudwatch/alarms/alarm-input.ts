/**
 * PutMetricAlarm's input checked as CloudWatch checks it, then turned into an alarm's
 * configuration. The edge has already checked the model's lengths and ranges (names ≤ 255,
 * ≤ 5 actions per state, Period ≥ 1, ...); this adds what the model cannot say:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 *   - MetricName, Namespace, Period, EvaluationPeriods, Threshold and ComparisonOperator are
 *     required for a static-threshold alarm on one metric ("MetricName must not be null");
 *   - exactly one of Statistic and ExtendedStatistic;
 *   - Period 10, 20, 30 or a multiple of 60; Period × EvaluationPeriods at most 7 days, and at
 *     most 1 day when Period is under an hour; DatapointsToAlarm ≤ EvaluationPeriods.
 * Statistic and Unit are the model's enums, checked here too (the service declares them in
 * `handlerEnums`) so that this function refuses a bad alarm when called alone.
 * Nimbus refuses, with a clear error, the alarm kinds it cannot evaluate yet: metric math
 * (`Metrics`), anomaly detection (ThresholdMetricId and the band operators), PromQL
 * (EvaluationCriteria), and extended statistics other than percentiles (tm90, IQM, ...).
 */
import type { Scope } from '../../../shared/scope.js';
import { isPercentile } from '../../../observe/metric-aggregate.js';
import type { AlarmRecord } from '../store/alarm-store.js';
import { COMPARISONS } from './alarm-evaluation.js';
import { CloudWatchErrors, invalidParameter, notInEnum } from '../cloudwatch-errors.js';
import { BASIC_STATISTICS, STANDARD_UNITS } from '../metrics/metric-units.js';

/** PutMetricAlarmInput as the model shapes it. */
export interface PutMetricAlarmInput {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: { Name: string; Value: string }[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: unknown[];
  Tags?: { Key: string; Value: string }[];
  ThresholdMetricId?: string;
  EvaluationCriteria?: unknown;
  EvaluationInterval?: number;
}

/** What PutMetricAlarm sets: everything of an alarm but its state, tags and timestamps. */
export type AlarmConfiguration = Omit<
  AlarmRecord,
  'tags' | 'configurationUpdatedTimestamp' | 'stateValue' | 'stateReason' | 'stateReasonData' | 'stateUpdatedTimestamp' | 'stateTransitionedTimestamp' | 'revision'
>;

const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'];
const LOW_SAMPLE_COUNT = ['evaluate', 'ignore'];
const WEEK_SECONDS = 7 * 86_400;
const DAY_SECONDS = 86_400;
const MAX_TAGS = 50;
/** Anything that looks like an ARN: CloudWatch accepts SNS, Lambda, EC2, Auto Scaling, SSM, ... actions. */
const ARN = /^arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S+$/;
/** The name may hold any UTF-8 but ASCII control characters. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checks the whole input, then returns the configuration it sets (throws CloudWatch's errors). */
export function toAlarmConfiguration(input: PutMetricAlarmInput, scope: Scope): AlarmConfiguration {
  if (CONTROL.test(input.AlarmName)) throw invalidParameter(input.AlarmName, 'AlarmName');
  if (input.Metrics !== undefined) {
    for (const member of ['MetricName', 'Namespace', 'Dimensions', 'Period', 'Unit', 'Statistic', 'ExtendedStatistic'] as const) {
      if (input[member] !== undefined) throw CloudWatchErrors.validation(`${member} should not be set if list of Metrics is set.`);
    }
    throw CloudWatchErrors.invalidValue('Metrics: alarms on metric math expressions are not supported by Nimbus yet; use MetricName.');
  }
  if (input.EvaluationCriteria !== undefined || input.EvaluationInterval !== undefined) {
    throw CloudWatchErrors.invalidValue('EvaluationCriteria: PromQL alarms are not supported by Nimbus yet; use MetricName.');
  }
  if (input.ThresholdMetricId !== undefined) {
    throw CloudWatchErrors.invalidValue('ThresholdMetricId: anomaly detection alarms are not supported by Nimbus yet.');
  }
  for (const member of ['MetricName', 'Namespace', 'Period', 'EvaluationPeriods', 'Threshold', 'ComparisonOperator'] as const) {
    if (input[member] === undefined) throw CloudWatchErrors.validation(`${member} must not be null`);
  }
  // The edge has checked the model's ComparisonOperator enum; these three are for anomaly detection.
  const operator = input.ComparisonOperator!;
  if (!Object.hasOwn(COMPARISONS, operator)) {
    throw CloudWatchErrors.validation(`ComparisonOperator ${operator} is for anomaly detection alarms, which Nimbus does not support yet.`);
  }
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined) {
    throw CloudWatchErrors.invalidCombination('The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.');
  }
  if (input.Statistic === undefined && input.ExtendedStatistic === undefined) {
    throw CloudWatchErrors.validation('Either Statistic or ExtendedStatistic must be set.');
  }
  if (input.Statistic !== undefined && !BASIC_STATISTICS.has(input.Statistic)) {
    throw notInEnum(input.Statistic, 'statistic', [...BASIC_STATISTICS]);
  }
  if (input.ExtendedStatistic !== undefined && !isPercentile(input.ExtendedStatistic)) {
    throw CloudWatchErrors.invalidValue(
      `The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid: Nimbus supports percentiles (p0 to p100) only.`,
    );
  }
  if (input.Unit !== undefined && !STANDARD_UNITS.has(input.Unit)) throw notInEnum(input.Unit, 'unit', [...STANDARD_UNITS]);
  if (input.TreatMissingData !== undefined && !TREAT_MISSING_DATA.includes(input.TreatMissingData)) {
    throw invalidParameter(input.TreatMissingData, 'TreatMissingData');
  }
  if (input.EvaluateLowSampleCountPercentile !== undefined && !LOW_SAMPLE_COUNT.includes(input.EvaluateLowSampleCountPercentile)) {
    throw invalidParameter(input.EvaluateLowSampleCountPercentile, 'EvaluateLowSampleCountPercentile');
  }
  const period = input.Period!;
  const evaluationPeriods = input.EvaluationPeriods!;
  if (![10, 20, 30].includes(period) && period % 60 !== 0) {
    throw CloudWatchErrors.invalidValue(`The value ${period} for parameter Period is invalid: it must be 10, 20, 30 or a multiple of 60.`);
  }
  const total = period * evaluationPeriods;
  if (total > WEEK_SECONDS) {
    throw CloudWatchErrors.validation(`Period * EvaluationPeriods must not exceed ${WEEK_SECONDS} seconds (7 days); it is ${total}.`);
  }
  if (period < 3600 && total > DAY_SECONDS) {
    throw CloudWatchErrors.validation(
      `Period * EvaluationPeriods must not exceed ${DAY_SECONDS} seconds (1 day) when Period is less than 3600; it is ${total}.`,
    );
  }
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > evaluationPeriods) {
    throw CloudWatchErrors.validation('DatapointsToAlarm must be less than or equal to EvaluationPeriods');
  }
  const dimensions = input.Dimensions ?? [];
  const seen = new Set<string>();
  dimensions.forEach((d, i) => {
    if (seen.has(d.Name)) {
      throw CloudWatchErrors.invalidValue(`No metric may have duplicate dimension names. Dimensions.member.${i + 1}.Name is a duplicate.`);
    }
    seen.add(d.Name);
  });
  for (const list of ['OKActions', 'AlarmActions', 'InsufficientDataActions'] as const) {
    for (const arn of input[list] ?? []) if (!ARN.test(arn)) throw CloudWatchErrors.validation(`Invalid arn syntax: ${arn}`);
  }
  if ((input.Tags?.length ?? 0) > MAX_TAGS) throw CloudWatchErrors.invalidValue(`The collection Tags must not have a size greater than ${MAX_TAGS}.`);

  return {
    accountId: scope.accountId,
    region: scope.region,
    name: input.AlarmName,
    description: input.AlarmDescription,
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions: input.OKActions ?? [],
    alarmActions: input.AlarmActions ?? [],
    insufficientDataActions: input.InsufficientDataActions ?? [],
    namespace: input.Namespace!,
    metricName: input.MetricName!,
    dimensions: dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    statistic: input.Statistic,
    extendedStatistic: input.ExtendedStatistic,
    period,
    unit: input.Unit,
    evaluationPeriods,
    datapointsToAlarm: input.DatapointsToAlarm,
    threshold: input.Threshold!,
    comparisonOperator: operator,
    treatMissingData: input.TreatMissingData,
    evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
  };
}
