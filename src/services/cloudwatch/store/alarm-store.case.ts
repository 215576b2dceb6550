/** The behaviour every AlarmStore implementation must show (SQLite today; PostgreSQL with the cluster). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmRecord, NewAlarmHistory } from './alarm-store.js';
import type { Scope } from '../../../shared/scope.js';
import type { CloudWatchStore } from './cloudwatch-slice.js';

/** A CloudWatch slice and how to close it. */
export type OpenStore = CloudWatchStore & { close(): Promise<void> };

export const HERE: Scope = { accountId: '000000000000', region: 'us-east-1' };
const THERE: Scope = { accountId: '000000000000', region: 'eu-west-1' };
const OTHER_ACCOUNT: Scope = { accountId: '111122223333', region: 'us-east-1' };

/** An alarm named `name` in INSUFFICIENT_DATA, as a new one is. */
export function alarmRecord(name: string, overrides: Partial<AlarmRecord> = {}): Omit<AlarmRecord, 'revision'> {
  return {
    ...HERE,
    name,
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    namespace: 'App',
    metricName: 'Errors',
    dimensions: [{ name: 'Stage', value: 'prod' }],
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    tags: [],
    configurationUpdatedTimestamp: 1000,
    stateValue: 'INSUFFICIENT_DATA',
    stateReason: 'Unchecked: Initial alarm creation',
    stateUpdatedTimestamp: 1000,
    stateTransitionedTimestamp: 1000,
    ...overrides,
  };
}

const item = (alarmName: string, timestamp: number, itemType: NewAlarmHistory['itemType'] = 'StateUpdate'): NewAlarmHistory => ({
  alarmName,
  timestamp,
  itemType,
  summary: `${itemType} at ${timestamp}`,
  data: '{}',
});

/** The AlarmStore cases. */
export function alarmStoreBehaviour(name: string, open: () => Promise<OpenStore>): void {
  describe(`AlarmStore behaviour: ${name}`, () => {
    let store: OpenStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('writes only over the revision the writer read, with its history in the same transaction', async () => {
      const created = await store.alarms.save(alarmRecord('a'), null, [item('a', 1, 'ConfigurationUpdate')]);
      expect(created?.revision).toBeTypeOf('number');
      expect(await store.alarms.save(alarmRecord('a'), null, [item('a', 2)])).toBeUndefined();
      const moved = await store.alarms.save({ ...created!, stateValue: 'ALARM' }, created!.revision, [item('a', 3)]);
      expect(moved?.stateValue).toBe('ALARM');
      expect(moved!.revision).not.toBe(created!.revision);
      // A writer that read before `moved` loses, and its history is not written.
      expect(await store.alarms.save({ ...created!, stateValue: 'OK' }, created!.revision, [item('a', 4)])).toBeUndefined();
      expect((await store.alarms.get(HERE, 'a'))?.stateValue).toBe('ALARM');
      const history = await store.alarms.history(HERE, { descending: false, limit: 10 });
      expect(history.map((h) => h.timestamp)).toEqual([1, 3]);
      expect(history[0]).toMatchObject({ alarmName: 'a', itemType: 'ConfigurationUpdate', summary: 'ConfigurationUpdate at 1', data: '{}' });
    });

    it('lists by names or prefix in name order, after a name, and deletes keeping history', async () => {
      for (const n of ['b_1', 'a', 'b%2', 'bx', 'c']) await store.alarms.save(alarmRecord(n), null, []);
      const names = (l: AlarmRecord[]) => l.map((a) => a.name);
      expect(names(await store.alarms.list(HERE, {}))).toEqual(['a', 'b%2', 'b_1', 'bx', 'c']);
      expect(names(await store.alarms.list(HERE, { prefix: 'b_' }))).toEqual(['b_1']);
      expect(names(await store.alarms.list(HERE, { prefix: 'b%' }))).toEqual(['b%2']);
      expect(names(await store.alarms.list(HERE, { names: ['c', 'a', 'zz'] }))).toEqual(['a', 'c']);
      expect(names(await store.alarms.list(HERE, { names: [] }))).toEqual([]);
      expect(names(await store.alarms.list(HERE, { afterName: 'b_1', limit: 2 }))).toEqual(['bx', 'c']);
      expect(await store.alarms.delete(HERE, 'a', [item('a', 5, 'ConfigurationUpdate')])).toBe(true);
      expect(await store.alarms.delete(HERE, 'a', [item('a', 6, 'ConfigurationUpdate')])).toBe(false);
      expect(await store.alarms.get(HERE, 'a')).toBeUndefined();
      expect((await store.alarms.history(HERE, { alarmName: 'a', descending: true, limit: 10 })).map((h) => h.timestamp)).toEqual([5]);
    });

    it('filters history by alarm, type and time, pages in both directions and expires by age', async () => {
      await store.alarms.save(alarmRecord('h'), null, [item('h', 10, 'ConfigurationUpdate'), item('h', 20), item('h', 20, 'Action'), item('other', 30)]);
      const q = { alarmName: 'h', limit: 2 };
      const first = await store.alarms.history(HERE, { ...q, descending: true });
      expect(first.map((h) => [h.timestamp, h.itemType])).toEqual([[20, 'Action'], [20, 'StateUpdate']]);
      const next = await store.alarms.history(HERE, { ...q, descending: true, after: first[1]! });
      expect(next.map((h) => h.itemType)).toEqual(['ConfigurationUpdate']);
      const ascending = await store.alarms.history(HERE, { ...q, descending: false, after: { timestamp: 10, id: first[1]!.id } });
      expect(ascending.map((h) => h.itemType)).toEqual(['StateUpdate', 'Action']);
      expect((await store.alarms.history(HERE, { itemType: 'StateUpdate', descending: true, limit: 10 })).map((h) => h.alarmName)).toEqual(['other', 'h']);
      expect((await store.alarms.history(HERE, { startTime: 20, endTime: 20, descending: true, limit: 10 })).length).toBe(2);
      expect(await store.alarms.expireHistory(20)).toBe(1);
      expect((await store.alarms.history(HERE, { descending: false, limit: 10 })).map((h) => h.timestamp)).toEqual([20, 20, 30]);
    });

    it('keeps each account and region apart, and lists every scope for the evaluator', async () => {
      for (const scope of [THERE, HERE, OTHER_ACCOUNT]) {
        await store.alarms.save(alarmRecord('same', { ...scope, threshold: scope === THERE ? 2 : 1 }), null, [item('same', 1)]);
      }
      expect((await store.alarms.get(THERE, 'same'))?.threshold).toBe(2);
      expect(await store.alarms.get(HERE, 'same')).toMatchObject({ accountId: HERE.accountId, region: HERE.region, threshold: 1 });
      expect((await store.alarms.list(THERE, {})).map((a) => a.region)).toEqual([THERE.region]);
      expect(await store.alarms.delete(THERE, 'same', [item('same', 2)])).toBe(true);
      expect(await store.alarms.get(HERE, 'same')).toBeDefined();
      expect((await store.alarms.history(THERE, { descending: false, limit: 10 })).map((h) => h.timestamp)).toEqual([1, 2]);
      expect((await store.alarms.history(HERE, { descending: false, limit: 10 })).map((h) => h.timestamp)).toEqual([1]);
      await store.alarms.appendHistory(OTHER_ACCOUNT, [item('same', 3, 'Action')]);
      expect((await store.alarms.history(OTHER_ACCOUNT, { itemType: 'Action', descending: false, limit: 10 })).length).toBe(1);
      await store.alarms.save(alarmRecord('another', { ...OTHER_ACCOUNT }), null, []);
      const all = await store.alarms.listAll(undefined, 2);
      expect(all.map((a) => [a.accountId, a.region, a.name])).toEqual([
        ['000000000000', 'us-east-1', 'same'],
        ['111122223333', 'us-east-1', 'another'],
      ]);
      expect((await store.alarms.listAll(all[1], 10)).map((a) => [a.accountId, a.name])).toEqual([['111122223333', 'same']]);
    });
  });
}
