import { describe, expect, it } from 'vitest';
import { addValue, emptyAggregate } from '../../../observe/metric-aggregate.js';
import type { MetricPoint } from '../../../observe/metric-point.js';
import { evaluateAlarm, evaluationRange, rangeDatapoints, type AlarmDatapoint, type AlarmRule } from './alarm-evaluation.js';
import { crossingReason, javaDouble, reasonData, reasonDate } from './alarm-reason.js';

const NOW = Date.UTC(2024, 11, 6, 5, 35, 20);
const MINUTE = 60_000;

/**
 * Datapoints from the notation of AWS's tables, oldest first: `0` within the threshold, `X`
 * breaching, `-` missing (values 0 and 10 against a threshold of 5).
 */
function row(text: string): AlarmDatapoint[] {
  const end = Math.floor(NOW / MINUTE) * MINUTE;
  return text
    .split(' ')
    .reverse()
    .map((c, k) => (c === '-' ? { timestamp: end - (k + 1) * MINUTE } : { timestamp: end - (k + 1) * MINUTE, value: c === 'X' ? 10 : 0, sampleCount: 1 }));
}

const rule = (overrides: Partial<AlarmRule> = {}): AlarmRule => ({
  period: 60,
  evaluationPeriods: 3,
  threshold: 5,
  comparisonOperator: 'GreaterThanThreshold',
  statistic: 'Maximum',
  ...overrides,
});

const TREATMENTS = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;
const stateOf = (r: AlarmRule, data: string) => evaluateAlarm(r, row(data), NOW)?.state ?? 'keeps its state';

describe('evaluateAlarm: AWS\'s documented examples (alarms-and-missing-data)', () => {
  // Rows as in the docs: datapoints, then the state for missing, ignore, breaching, notBreaching.
  it.each([
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'keeps its state', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'keeps its state', 'ALARM', 'OK'],
  ])('3 of 3: %s', (data, ...expected) => {
    expect(TREATMENTS.map((t) => stateOf(rule({ treatMissingData: t }), data))).toEqual(expected);
  });

  it.each([
    ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - X -', 'ALARM', 'keeps its state', 'ALARM', 'OK'],
  ])('2 of 3: %s', (data, ...expected) => {
    expect(TREATMENTS.map((t) => stateOf(rule({ treatMissingData: t, datapointsToAlarm: 2 }), data))).toEqual(expected);
  });

  it('does not alarm prematurely on a recent breach with missing data before it', () => {
    expect(stateOf(rule(), '- - - - X')).toBe('keeps its state');
    expect(stateOf(rule(), '- - - X -')).toBe('keeps its state');
    expect(stateOf(rule(), '- - - X X')).toBe('keeps its state');
    expect(stateOf(rule(), '- X X X -')).toBe('ALARM');
  });

  it('defaults TreatMissingData to missing and DatapointsToAlarm to EvaluationPeriods', () => {
    expect(stateOf(rule(), '- - - - -')).toBe('INSUFFICIENT_DATA');
    expect(stateOf(rule(), '0 0 X X 0')).toBe('OK');
    expect(stateOf(rule(), '0 0 X X X')).toBe('ALARM');
  });

  it('uses the most recent real datapoints, reaching back past missing ones', () => {
    expect(stateOf(rule(), 'X X - X -')).toBe('ALARM');
    expect(stateOf(rule(), '0 X - X X')).toBe('ALARM');
    expect(stateOf(rule({ evaluationPeriods: 1 }), '0 0 0 X -')).toBe('ALARM');
  });
});

describe('evaluateAlarm: comparisons', () => {
  it.each([
    ['GreaterThanOrEqualToThreshold', [5, 6], [4]],
    ['GreaterThanThreshold', [6], [5, 4]],
    ['LessThanThreshold', [4], [5, 6]],
    ['LessThanOrEqualToThreshold', [4, 5], [6]],
  ])('%s', (comparisonOperator, breaching, within) => {
    const r = rule({ comparisonOperator, evaluationPeriods: 1 });
    const at = (value: number) => evaluateAlarm(r, [{ timestamp: NOW - MINUTE, value, sampleCount: 1 }], NOW)!.state;
    expect(breaching.map(at)).toEqual(breaching.map(() => 'ALARM'));
    expect(within.map(at)).toEqual(within.map(() => 'OK'));
  });
});

describe('evaluateAlarm: what it says', () => {
  const at = (minutesAgo: number) => Date.UTC(2024, 11, 6, 5, 35) - minutesAgo * MINUTE;

  it('writes AWS\'s reasons for ALARM and OK', () => {
    const r = rule({ evaluationPeriods: 2, comparisonOperator: 'GreaterThanThreshold', threshold: 50 });
    const alarm = evaluateAlarm(r, [{ timestamp: at(1), value: 63, sampleCount: 2 }, { timestamp: at(2), value: 66, sampleCount: 1 }, { timestamp: at(3) }, { timestamp: at(4) }], NOW)!;
    expect(alarm.reason).toBe(
      'Threshold Crossed: 2 out of the last 2 datapoints [63.0 (06/12/24 05:34:00), 66.0 (06/12/24 05:33:00)] were greater than the threshold (50.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(JSON.parse(alarm.reasonData)).toEqual({
      version: '1.0',
      queryDate: '2024-12-06T05:35:20.000+0000',
      startDate: '2024-12-06T05:33:00.000+0000',
      statistic: 'Maximum',
      period: 60,
      recentDatapoints: [66, 63],
      threshold: 50,
      evaluatedDatapoints: [
        { timestamp: '2024-12-06T05:34:00.000+0000', sampleCount: 2, value: 63 },
        { timestamp: '2024-12-06T05:33:00.000+0000', sampleCount: 1, value: 66 },
      ],
    });
    const ok = evaluateAlarm({ ...r, datapointsToAlarm: 2, threshold: 70 }, [{ timestamp: at(1), value: 63, sampleCount: 1 }, { timestamp: at(2), value: 66, sampleCount: 1 }], NOW)!;
    expect(ok.reason).toBe(
      'Threshold Crossed: 2 out of the last 2 datapoints [63.0 (06/12/24 05:34:00), 66.0 (06/12/24 05:33:00)] were not greater than the threshold (70.0) (minimum 1 datapoint for ALARM -> OK transition).',
    );
  });

  it('quotes the five most recent of many datapoints after the sentence', () => {
    const r = rule({ evaluationPeriods: 6, statistic: 'Sum', comparisonOperator: 'LessThanOrEqualToThreshold', threshold: 0 });
    const data = Array.from({ length: 8 }, (_, k) => ({ timestamp: at(k + 1), value: 0, sampleCount: 5 }));
    expect(evaluateAlarm(r, data, NOW)!.reason).toBe(
      'Threshold Crossed: 6 out of the last 6 datapoints were less than or equal to the threshold (0.0). The most recent datapoints which crossed the threshold: ' +
        '[0.0 (06/12/24 05:34:00), 0.0 (06/12/24 05:33:00), 0.0 (06/12/24 05:32:00), 0.0 (06/12/24 05:31:00), 0.0 (06/12/24 05:30:00)] (minimum 6 datapoints for OK -> ALARM transition).',
    );
  });

  it('says when no data came, and how missing data was treated', () => {
    const one = rule({ evaluationPeriods: 1 });
    expect(evaluateAlarm({ ...one, treatMissingData: 'breaching' }, row('- - -'), NOW)!.reason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].',
    );
    expect(evaluateAlarm({ ...one, treatMissingData: 'notBreaching' }, row('- - -'), NOW)!.reason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    );
    const insufficient = evaluateAlarm(rule({ evaluationPeriods: 5 }), row('- - - - - - -'), NOW)!;
    expect(insufficient.reason).toBe('Insufficient Data: 5 datapoints were unknown.');
    const data = JSON.parse(insufficient.reasonData);
    expect(data.startDate).toBeUndefined();
    expect(data.recentDatapoints).toEqual([]);
    expect(data.evaluatedDatapoints.map((d: { timestamp: string }) => d.timestamp)).toEqual([
      '2024-12-06T05:34:00.000+0000', '2024-12-06T05:33:00.000+0000', '2024-12-06T05:32:00.000+0000', '2024-12-06T05:31:00.000+0000', '2024-12-06T05:30:00.000+0000',
    ]);
    expect(evaluateAlarm(rule({ treatMissingData: 'breaching', datapointsToAlarm: 2 }), row('- - - - 0'), NOW)!.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (5.0) (2 missing datapoints were treated as [Breaching]) (minimum 2 datapoints for OK -> ALARM transition).',
    );
  });

  it('matches a StateReasonData AWS wrote', () => {
    // From a real alarm: Average over 300 s, one datapoint, threshold 90.
    expect(
      reasonData({
        queryDate: Date.parse('2024-09-19T06:01:18.043Z'),
        statistic: 'Average',
        period: 300,
        threshold: 90,
        evaluated: [{ timestamp: Date.parse('2024-09-19T05:56:00Z'), value: 1.0166666666666666, sampleCount: 1 }],
      }),
    ).toBe(
      '{"version":"1.0","queryDate":"2024-09-19T06:01:18.043+0000","startDate":"2024-09-19T05:56:00.000+0000","statistic":"Average","period":300,' +
        '"recentDatapoints":[1.0166666666666666],"threshold":90.0,"evaluatedDatapoints":[{"timestamp":"2024-09-19T05:56:00.000+0000","sampleCount":1.0,"value":1.0166666666666666}]}',
    );
    expect(
      crossingReason({
        count: 1, evaluationPeriods: 1, points: [{ timestamp: Date.parse('2015-06-03T17:43:27Z'), value: 1234 }], negated: false,
        comparisonOperator: 'GreaterThanThreshold', threshold: 0, minimum: 1, transition: 'OK -> ALARM',
      }),
    ).toBe('Threshold Crossed: 1 out of the last 1 datapoints [1234.0 (03/06/15 17:43:27)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).');
  });

  it('prints numbers as Java does', () => {
    expect([0, -0, 5, 1.5, -2, 0.001, 1e7, 123456789, 1.5e-5, 1e21].map(javaDouble)).toEqual([
      '0.0', '-0.0', '5.0', '1.5', '-2.0', '0.001', '1.0E7', '1.23456789E8', '1.5E-5', '1.0E21',
    ]);
    expect(reasonDate(Date.UTC(2009, 0, 2, 3, 4, 5))).toBe('02/01/09 03:04:05');
  });
});

describe('the evaluation range and its datapoints', () => {
  const point = (minutesAgo: number, values: number[], unit = 'None'): MetricPoint => {
    const agg = emptyAggregate();
    for (const v of values) addValue(agg, v);
    return { namespace: 'App', metricName: 'm', dimensions: [], unit, timestamp: Math.floor(NOW / MINUTE) * MINUTE - minutesAgo * MINUTE, ...agg };
  };

  it('ends at the last whole minute and reads N + 2 periods', () => {
    const range = evaluationRange(rule({ period: 120, evaluationPeriods: 2 }), NOW);
    expect(range.end).toBe(Date.UTC(2024, 11, 6, 5, 35));
    expect(range.timestamps).toEqual([1, 2, 3, 4].map((k) => range.end - k * 120_000));
    expect(range.start).toBe(range.end - 4 * 120_000);
    // High-resolution periods step by themselves: minute data lands in one of each minute's periods.
    const fine = evaluationRange(rule({ period: 10, evaluationPeriods: 1 }), NOW);
    expect(fine.end).toBe(Date.UTC(2024, 11, 6, 5, 35, 20));
  });

  it('computes the alarm\'s Statistic or ExtendedStatistic per period, merging units unless one is named', () => {
    const points = [point(1, [1, 2, 3]), point(2, [10], 'Count'), point(2, [20]), point(3, [100, 200, 300, 400])];
    const r = rule({ period: 60, evaluationPeriods: 3 });
    const range = evaluationRange(r, NOW);
    const values = (overrides: Partial<AlarmRule>) => rangeDatapoints({ ...r, ...overrides }, range, points).map((d) => d.value);
    expect(values({ statistic: 'Sum' })).toEqual([6, 30, 1000, undefined, undefined]);
    expect(values({ statistic: 'SampleCount' })).toEqual([3, 2, 4, undefined, undefined]);
    expect(values({ statistic: 'Average', unit: 'None' }).slice(0, 3)).toEqual([2, 20, 250]);
    const p50 = values({ statistic: undefined, extendedStatistic: 'p50' });
    expect(p50[0]).toBeCloseTo(2, 1);
    expect(p50[2]).toBeCloseTo(200, -1);
    // Two-minute periods merge the minutes they cover.
    const wide = rule({ period: 120, evaluationPeriods: 1, statistic: 'Maximum' });
    expect(rangeDatapoints(wide, evaluationRange(wide, NOW), points).map((d) => d.value)).toEqual([20, 400, undefined]);
  });

  it('keeps the state of a percentile alarm while samples are too few, when told to', () => {
    const r = rule({ evaluationPeriods: 1, statistic: undefined, extendedStatistic: 'p90', evaluateLowSampleCountPercentile: 'ignore' });
    const few = [{ timestamp: NOW - MINUTE, value: 10, sampleCount: 99 }];
    const enough = [{ timestamp: NOW - MINUTE, value: 10, sampleCount: 100 }];
    expect(evaluateAlarm(r, few, NOW)).toBeUndefined();
    expect(evaluateAlarm(r, enough, NOW)?.state).toBe('ALARM');
    expect(evaluateAlarm({ ...r, evaluateLowSampleCountPercentile: 'evaluate' }, few, NOW)?.state).toBe('ALARM');
    expect(evaluateAlarm({ ...r, extendedStatistic: 'p10' }, few, NOW)).toBeUndefined();
    expect(evaluateAlarm({ ...r, extendedStatistic: 'p50' }, few, NOW)?.state).toBe('ALARM');
  });
});
