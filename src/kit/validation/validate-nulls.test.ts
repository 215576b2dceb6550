/**
 * Nulls as AWS reads them: a null member is an absent one (handlers test `!== undefined`, and a
 * null NextToken reached Buffer.from as a 500), a null required member is "must not be null",
 * and a null list item or map value is no value of its type.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../models/models.js';
import { ShapeResolver } from '../models/shapes.js';
import { ValidatorCompiler } from './validate.js';

const cloudwatch = loadModel('cloudwatch');
const shapes = new ShapeResolver(cloudwatch);
const validatorOf = (op: string) => new ValidatorCompiler({}).input(shapes.operationShape(cloudwatch.operations[op].input)!);

describe('nulls', () => {
  it('removes a null optional member, at the top and inside items', () => {
    const input: Record<string, unknown> = { NextToken: null, Namespace: 'N', Dimensions: [{ Name: 'd', Value: null }] };
    expect(validatorOf('ListMetrics')(input)).toBeUndefined();
    expect(input).toEqual({ Namespace: 'N', Dimensions: [{ Name: 'd' }] });
    expect(Object.hasOwn(input, 'NextToken')).toBe(false);
  });

  it.each([
    ['a required member', 'ListMetrics', { Dimensions: [{ Name: null }] }, { constraint: ["Value null at 'dimensions.1.member.name' failed to satisfy constraint: Member must not be null"], type: [] }],
    ['a list item', 'PutMetricData', { Namespace: 'N', MetricData: [null] }, { type: ["expected structure at 'metricData.1.member'"], constraint: [] }],
    ['a scalar list item', 'GetMetricStatistics', { Namespace: 'N', MetricName: 'm', StartTime: new Date(0), EndTime: new Date(60_000), Period: 60, Statistics: ['Sum', null] }, { type: ["expected string at 'statistics.2.member'"], constraint: [] }],
  ])('refuses a null %s', (_what, op, input, problems) => {
    expect(validatorOf(op)(input as Record<string, unknown>)).toEqual(problems);
  });

  it('refuses a null map value', () => {
    const logs = loadModel('logs');
    const validate = new ValidatorCompiler({}).input(new ShapeResolver(logs).operationShape(logs.operations.CreateLogGroup.input)!);
    expect(validate({ logGroupName: 'g', tags: { a: null } })?.type).toEqual(["expected string at 'tags.a'"]);
  });
});
