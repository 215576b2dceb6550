import { describe, expect, it } from 'vitest';
import type { AwsError } from '../../../shared/errors.js';
import { toAlarmConfiguration, type PutMetricAlarmInput } from './alarm-input.js';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };

const input = (overrides: Partial<PutMetricAlarmInput> = {}): PutMetricAlarmInput => ({
  AlarmName: 'a',
  Namespace: 'App',
  MetricName: 'Errors',
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanThreshold',
  ...overrides,
});

function error(overrides: Partial<PutMetricAlarmInput>): [string, string] {
  try {
    toAlarmConfiguration(input(overrides), SCOPE);
  } catch (err) {
    return [(err as AwsError).code, (err as AwsError).message];
  }
  throw new Error('expected a rejection');
}

describe('toAlarmConfiguration', () => {
  it('turns a valid input into a configuration with CloudWatch\'s defaults', () => {
    expect(toAlarmConfiguration(input({ Dimensions: [{ Name: 'B', Value: '2' }, { Name: 'A', Value: '1' }] }), SCOPE)).toEqual({
      ...SCOPE,
      name: 'a',
      description: undefined,
      actionsEnabled: true,
      okActions: [],
      alarmActions: [],
      insufficientDataActions: [],
      namespace: 'App',
      metricName: 'Errors',
      dimensions: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }],
      statistic: 'Sum',
      extendedStatistic: undefined,
      period: 60,
      unit: undefined,
      evaluationPeriods: 1,
      datapointsToAlarm: undefined,
      threshold: 1,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: undefined,
      evaluateLowSampleCountPercentile: undefined,
    });
    expect(toAlarmConfiguration(input({ Statistic: undefined, ExtendedStatistic: 'p99.9', Namespace: 'AWS/Lambda' }), SCOPE).extendedStatistic).toBe('p99.9');
  });

  it('accepts periods of 10, 20, 30 and multiples of 60 within the evaluation limits', () => {
    for (const Period of [10, 20, 30, 60, 300, 3600]) expect(toAlarmConfiguration(input({ Period }), SCOPE).period).toBe(Period);
    expect(toAlarmConfiguration(input({ Period: 60, EvaluationPeriods: 1440 }), SCOPE).evaluationPeriods).toBe(1440);
    expect(toAlarmConfiguration(input({ Period: 3600, EvaluationPeriods: 168 }), SCOPE).evaluationPeriods).toBe(168);
    expect(error({ Period: 15 })).toEqual(['InvalidParameterValueException', 'The value 15 for parameter Period is invalid: it must be 10, 20, 30 or a multiple of 60.']);
    expect(error({ Period: 90 })[0]).toBe('InvalidParameterValueException');
    expect(error({ Period: 60, EvaluationPeriods: 1441 })[1]).toContain('86400 seconds (1 day) when Period is less than 3600');
    expect(error({ Period: 3600, EvaluationPeriods: 169 })[1]).toContain('604800 seconds (7 days)');
  });

  it.each([
    [{ MetricName: undefined }, 'ValidationError', 'MetricName must not be null'],
    [{ Namespace: undefined }, 'ValidationError', 'Namespace must not be null'],
    [{ Period: undefined }, 'ValidationError', 'Period must not be null'],
    [{ EvaluationPeriods: undefined }, 'ValidationError', 'EvaluationPeriods must not be null'],
    [{ Threshold: undefined }, 'ValidationError', 'Threshold must not be null'],
    [{ ComparisonOperator: undefined }, 'ValidationError', 'ComparisonOperator must not be null'],
    [{ DatapointsToAlarm: 2 }, 'ValidationError', 'DatapointsToAlarm must be less than or equal to EvaluationPeriods'],
    [{ ExtendedStatistic: 'p90' }, 'InvalidParameterCombinationException', 'The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.'],
    [{ Statistic: undefined }, 'ValidationError', 'Either Statistic or ExtendedStatistic must be set.'],
    [{ Statistic: 'p90' }, 'ValidationError', "1 validation error detected: Value 'p90' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [SampleCount, Average, Sum, Minimum, Maximum]"],
    [{ Unit: 'Parsecs' }, 'ValidationError', undefined],
    [{ TreatMissingData: 'Missing' }, 'InvalidParameterValueException', 'The value Missing for parameter TreatMissingData is invalid.'],
    [{ EvaluateLowSampleCountPercentile: 'skip' }, 'InvalidParameterValueException', 'The value skip for parameter EvaluateLowSampleCountPercentile is invalid.'],
    [{ Dimensions: [{ Name: 'A', Value: '1' }, { Name: 'A', Value: '2' }] }, 'InvalidParameterValueException', 'No metric may have duplicate dimension names. Dimensions.member.2.Name is a duplicate.'],
    [{ OKActions: ['arn:aws:sns:us-east-1:000000000000:t', 'sns-topic'] }, 'ValidationError', 'Invalid arn syntax: sns-topic'],
    [{ AlarmName: 'tab\there' }, 'InvalidParameterValueException', 'The value tab\there for parameter AlarmName is invalid.'],
    [{ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, 'InvalidParameterValueException', 'The collection Tags must not have a size greater than 50.'],
  ] as [Partial<PutMetricAlarmInput>, string, string | undefined][])('rejects %j', (overrides, code, message) => {
    const [gotCode, gotMessage] = error(overrides);
    expect(gotCode).toBe(code);
    if (message !== undefined) expect(gotMessage).toBe(message);
  });

  it('refuses, saying so, the alarm kinds Nimbus cannot evaluate yet', () => {
    const math = { MetricName: undefined, Namespace: undefined, Statistic: undefined, Period: undefined, Metrics: [{ Id: 'e1', Expression: 'm1 * 2' }] };
    expect(error(math)).toEqual(['InvalidParameterValueException', 'Metrics: alarms on metric math expressions are not supported by Nimbus yet; use MetricName.']);
    expect(error({ Metrics: [{ Id: 'm1' }] })).toEqual(['ValidationError', 'MetricName should not be set if list of Metrics is set.']);
    expect(error({ ThresholdMetricId: 'ad1' })[1]).toContain('anomaly detection');
    expect(error({ ComparisonOperator: 'GreaterThanUpperThreshold' })[1]).toContain('anomaly detection');
    expect(error({ EvaluationCriteria: { PromQLCriteria: { Query: 'up' } } })[1]).toContain('PromQL');
    expect(error({ Statistic: undefined, ExtendedStatistic: 'tm90' })[1]).toContain('percentiles (p0 to p100) only');
  });
});
