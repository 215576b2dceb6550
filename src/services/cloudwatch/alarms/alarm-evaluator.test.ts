import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger.js';
import type { AlarmRecord } from '../store/alarm-store.js';
import { alarmRecord } from '../store/alarm-store.case.js';
import { openSlice, TEST_SCOPE } from '../../../../test/support/slices.js';
import { CLOUDWATCH_SLICE, type CloudWatchStore } from '../store/cloudwatch-slice.js';
import type { CallOptions, ServiceCalls } from '../../../kit/service-calls.js';
import { AwsError } from '../../../shared/errors.js';
import { runAlarmActions } from './alarm-actions.js';
import { AlarmEvaluator } from './alarm-evaluator.js';
import { transition } from './alarm-history.js';
import { toMetricPoints } from '../metrics/put-metric-data.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 5, 1, 12, 0, 30);

/** Lambda as CloudWatch calls it in-process: records the call; a function named `broken` fails. */
const invoked: Array<{ input: any; options: CallOptions }> = [];
const lambdaCalls: ServiceCalls = {
  async call(ref, input: any, options) {
    invoked.push({ input, options });
    if (String(input.FunctionName).endsWith(':broken')) throw new AwsError('ResourceNotFoundException', 'Function not found: broken', 404);
    return { StatusCode: 202 } as never;
  },
};

describe('AlarmEvaluator', () => {
  let store: CloudWatchStore & { close(): Promise<void> };
  let now: number;
  let flushed: number;
  let evaluator: AlarmEvaluator;

  beforeEach(() => {
    store = openSlice(CLOUDWATCH_SLICE);
    now = T0;
    flushed = 0;
    evaluator = new AlarmEvaluator({
      alarms: store.alarms,
      metrics: store.metrics,
      clock: { now: () => now, monotonic: () => now },
      logger: silentLogger,
      pending: { flush: async () => void flushed++ },
      actions: (before, after) => runAlarmActions({ alarms: store.alarms, calls: lambdaCalls, logger: silentLogger }, before, after),
    });
    invoked.length = 0;
  });
  afterEach(async () => {
    await evaluator.stop();
    await store.close();
  });

  const put = (minutesAgo: number, value: number) =>
    store.metrics.put(TEST_SCOPE, toMetricPoints('App', [{ MetricName: 'Errors', Dimensions: [{ Name: 'Stage', Value: 'prod' }], Timestamp: new Date(now - minutesAgo * MINUTE), Value: value }], now));
  const alarm = async (name: string) => (await store.alarms.get(TEST_SCOPE, name))!;
  const history = async (name: string) => (await store.alarms.history(TEST_SCOPE, { alarmName: name, descending: false, limit: 50 })).map((h) => [h.itemType, h.summary]);

  it('moves an alarm to ALARM and back to OK on the stored metric, recording history and pending actions', async () => {
    await store.alarms.save(alarmRecord('errors', { alarmActions: ['arn:aws:sns:us-east-1:000000000000:page'], okActions: ['arn:aws:sns:us-east-1:000000000000:relax'] }), null, []);
    await put(1, 3);
    expect(await evaluator.evaluate()).toBe(1);
    expect(flushed).toBe(1);
    const inAlarm = await alarm('errors');
    expect(inAlarm.stateValue).toBe('ALARM');
    expect(inAlarm.stateReason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[3\.0 \(01\/06\/24 11:59:00\)\] was greater than or equal to the threshold \(1\.0\)/);
    expect(JSON.parse(inAlarm.stateReasonData!).evaluatedDatapoints).toEqual([{ timestamp: '2024-06-01T11:59:00.000+0000', sampleCount: 1, value: 3 }]);
    expect(inAlarm.stateUpdatedTimestamp).toBe(T0);
    // Nothing new: no change, no history.
    expect(await evaluator.evaluate()).toBe(0);
    now += MINUTE;
    await put(1, 0);
    expect(await evaluator.evaluate()).toBe(1);
    expect((await alarm('errors')).stateValue).toBe('OK');
    expect(await history('errors')).toEqual([
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['Action', 'Action pending delivery: arn:aws:sns:us-east-1:000000000000:page'],
      ['StateUpdate', 'Alarm updated from ALARM to OK'],
      ['Action', 'Action pending delivery: arn:aws:sns:us-east-1:000000000000:relax'],
    ]);
    const [first] = await store.alarms.history(TEST_SCOPE, { alarmName: 'errors', descending: false, limit: 1 });
    const data = JSON.parse(first!.data);
    expect(data.oldState).toEqual({ stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' });
    expect(data.newState.stateValue).toBe('ALARM');
    expect(data.newState.stateReasonData.threshold).toBe(1);
  });

  it('goes to INSUFFICIENT_DATA when data stops, and records no actions while actions are disabled', async () => {
    await store.alarms.save(alarmRecord('quiet', { actionsEnabled: false, stateValue: 'OK', insufficientDataActions: ['arn:aws:sns:us-east-1:000000000000:x'] }), null, []);
    expect(await evaluator.evaluate()).toBe(1);
    expect((await alarm('quiet')).stateReason).toBe('Insufficient Data: 1 datapoint was unknown.');
    expect(await history('quiet')).toEqual([['StateUpdate', 'Alarm updated from OK to INSUFFICIENT_DATA']]);
  });

  it('invokes Lambda actions in-process as CloudWatch, with the alarm event, and records each outcome', async () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:pager';
    await store.alarms.save(alarmRecord('paging', { alarmActions: [fn, `${fn}:broken`, 'arn:aws:sns:us-east-1:000000000000:t'] }), null, []);
    await put(1, 3);
    expect(await evaluator.evaluate()).toBe(1);
    expect(invoked.map((c) => [c.input.FunctionName, c.input.InvocationType, c.options.region, c.options.caller])).toEqual([
      [fn, 'Event', 'us-east-1', { accountId: '000000000000', principal: 'lambda.alarms.cloudwatch.amazonaws.com', sourceArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:paging', sourceAccount: '000000000000' }],
      [`${fn}:broken`, 'Event', 'us-east-1', expect.anything()],
    ]);
    const event = JSON.parse(invoked[0]!.input.Payload.toString());
    expect(event).toMatchObject({
      source: 'aws.cloudwatch',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:paging',
      accountId: '000000000000',
      region: 'us-east-1',
      time: '2024-06-01T12:00:30.000+0000',
      alarmData: {
        alarmName: 'paging',
        state: { value: 'ALARM', timestamp: '2024-06-01T12:00:30.000+0000' },
        previousState: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' },
        configuration: { metrics: [{ metricStat: { metric: { namespace: 'App', name: 'Errors', dimensions: { Stage: 'prod' } }, period: 60 }, returnData: true }] },
      },
    });
    expect(await history('paging')).toEqual([
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['Action', `Successfully executed action ${fn}`],
      ['Action', `Failed to execute action ${fn}:broken. Received error: "ResourceNotFoundException: Function not found: broken"`],
      ['Action', 'Action pending delivery: arn:aws:sns:us-east-1:000000000000:t'],
    ]);
  });

  it('lets a state set by SetAlarmState stand until an evaluation disagrees', async () => {
    const saved = await store.alarms.save(alarmRecord('manual', { treatMissingData: 'ignore' }), null, []);
    const set = transition(saved!, { value: 'ALARM', reason: 'testing' }, now);
    await store.alarms.save(set.alarm, saved!.revision, set.history);
    expect(await evaluator.evaluate()).toBe(0);
    expect((await alarm('manual')).stateReason).toBe('testing');
    await put(1, 0);
    expect(await evaluator.evaluate()).toBe(1);
    expect((await alarm('manual')).stateValue).toBe('OK');
  });

  it('loses to a write that came between its read and its write', async () => {
    const saved = await store.alarms.save(alarmRecord('raced'), null, []);
    await put(1, 5);
    const stale: AlarmRecord = { ...saved!, stateValue: 'OK' };
    await store.alarms.save({ ...saved!, threshold: 100 }, saved!.revision, []);
    // What the evaluator would write over: the store refuses the stale revision.
    const next = transition(stale, { value: 'ALARM', reason: 'stale' }, now);
    expect(await store.alarms.save(next.alarm, saved!.revision, next.history)).toBeUndefined();
    expect(await evaluator.evaluate()).toBe(1);
    expect((await alarm('raced')).stateValue).toBe('OK');
  });

  it('expires history older than two weeks', async () => {
    await store.alarms.save(alarmRecord('old'), null, [{ alarmName: 'old', timestamp: T0 - 15 * 24 * 3600_000, itemType: 'ConfigurationUpdate', summary: 'old', data: '{}' }]);
    await store.alarms.save(alarmRecord('new'), null, [{ alarmName: 'new', timestamp: T0 - 13 * 24 * 3600_000, itemType: 'ConfigurationUpdate', summary: 'new', data: '{}' }]);
    await evaluator.evaluate();
    expect((await store.alarms.history(TEST_SCOPE, { itemType: 'ConfigurationUpdate', descending: false, limit: 10 })).map((h) => h.summary)).toEqual(['new']);
  });
});
