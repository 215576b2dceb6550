import { describe, expect, it } from 'vitest';
import type { AwsError } from '../../../shared/errors.js';
import { toMetricPoints, type MetricDatum } from './put-metric-data.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 45);

function error(data: MetricDatum[], namespace = 'App'): AwsError {
  try {
    toMetricPoints(namespace, data, NOW);
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected an error');
}

describe('PutMetricData input', () => {
  it('turns data into minute points with sorted dimensions and the default unit', () => {
    const [p] = toMetricPoints('App', [{ MetricName: 'm', Values: [1, 2], Counts: [2, 1], Dimensions: [{ Name: 'b', Value: '1' }, { Name: 'a', Value: '2' }] }], NOW);
    expect(p).toMatchObject({
      namespace: 'App',
      metricName: 'm',
      unit: 'None',
      timestamp: Date.UTC(2026, 0, 1, 12, 0, 0),
      dimensions: [{ name: 'a', value: '2' }, { name: 'b', value: '1' }],
      count: 3,
      sum: 4,
      min: 1,
      max: 2,
    });
  });

  it.each([
    [[{ MetricName: 'm', Value: NaN }], 'InvalidParameterValueException', 'The value NaN for parameter MetricData.member.1.Value is invalid.'],
    [[{ MetricName: 'm', Value: 1e200 }], 'InvalidParameterValueException', 'The value 1e+200 for parameter MetricData.member.1.Value is invalid.'],
    [[{ MetricName: 'm' }], 'MissingRequiredParameterException', 'The parameter MetricData.member.1.Value, MetricData.member.1.StatisticValues or MetricData.member.1.Values is required.'],
    [[{ MetricName: 'm', Value: 1, Values: [1] }], 'InvalidParameterCombinationException', 'The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.'],
    [[{ MetricName: 'm', Values: [1, 2], Counts: [1] }], 'InvalidParameterValueException', 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be arrays of the same length.'],
    [[{ MetricName: 'm', Value: 1, Unit: 'Parsecs' }], 'InvalidParameterValueException', 'The value Parsecs for parameter MetricData.member.1.Unit is invalid.'],
    [[{ MetricName: 'm', Value: 1, Timestamp: new Date(NOW + 3 * 3600_000) }], 'InvalidParameterValueException', 'The parameter MetricData.member.1.Timestamp must specify a time no more than two hours in the future.'],
    [[{ MetricName: 'm', StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 2, Maximum: 1 } }], 'InvalidParameterValueException', 'The parameter MetricData.member.1.StatisticValues.Minimum must be less than or equal to MetricData.member.1.StatisticValues.Maximum.'],
    [[{ MetricName: 'm', Value: 1, Dimensions: [{ Name: 'a', Value: '1' }, { Name: 'a', Value: '2' }] }], 'InvalidParameterValueException', 'No metric may have duplicate dimension names. MetricData.member.1.Dimensions.member.2.Name is a duplicate.'],
  ] as [MetricDatum[], string, string][])('rejects %j', (data, code, message) => {
    const e = error(data);
    expect([e.code, e.message]).toEqual([code, message]);
  });

  it('limits the batch and reserves AWS/ namespaces', () => {
    expect(error(Array.from({ length: 1001 }, () => ({ MetricName: 'm', Value: 1 }))).message).toBe('The collection MetricData must not have a size greater than 1000.');
    expect(error([{ MetricName: 'm', Value: 1 }], 'AWS/EC2').message).toBe('The value AWS/EC2 for parameter Namespace is invalid.');
  });
});
