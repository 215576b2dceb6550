/**
 * CloudWatch metric alarms: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric,
 * DeleteAlarms, SetAlarmState, DescribeAlarmHistory, EnableAlarmActions, DisableAlarmActions.
 * Alarms start in INSUFFICIENT_DATA ("Unchecked: Initial alarm creation") and are evaluated by
 * AlarmEvaluator on the stored metrics, not here; an update keeps the alarm's state, as on AWS.
 * SetAlarmState sets a state until the next evaluation says otherwise. Every write is conditional
 * on what was read (the store's revision), so an evaluation and an API call cannot undo each other.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import type { OperationContext, OperationHandler } from '../../../kit/service-definition.js';
import type { Clock } from '../../../shared/clock.js';
import { scopeOf, type Scope } from '../../../shared/scope.js';
import type { AlarmHistoryItemType, AlarmRecord, AlarmStore, AlarmStateValue } from '../store/alarm-store.js';
import { configurationHistory, toMetricAlarm, transition } from './alarm-history.js';
import { toAlarmConfiguration, type PutMetricAlarmInput } from './alarm-input.js';
import { alarmNotFound, CloudWatchErrors, invalidNextToken } from '../cloudwatch-errors.js';

/** What the alarm operations are built from. */
export interface AlarmDeps {
  alarms: AlarmStore;
  clock: Clock;
  /** Runs the actions of a saved state change (alarm-actions.ts). */
  actions?: (before: AlarmRecord, after: AlarmRecord) => Promise<void>;
}

// The model's enums (StateValue, AlarmTypes, HistoryItemType, ScanBy, Statistic, StandardUnit) are
// checked by the edge before a handler runs, with CloudWatch's ValidationError wording.
const DEFAULT_MAX_RECORDS = 50;
/** Conditional writes that lose to a concurrent one are retried on a fresh read this many times. */
const ATTEMPTS = 10;


/** The alarm handlers, to spread into the CloudWatch service's operations. */
export function alarmOperations(deps: AlarmDeps): Record<string, OperationHandler> {
  const { alarms, clock } = deps;

  return {
    async PutMetricAlarm(input: PutMetricAlarmInput, ctx) {
      const p = scopeOf(ctx);
      const config = toAlarmConfiguration(input, p);
      await retrying(async () => {
        const now = clock.now();
        const existing = await alarms.get(p, config.name);
        if (!existing) {
          const created = {
            ...config,
            tags: (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value })),
            configurationUpdatedTimestamp: now,
            stateValue: 'INSUFFICIENT_DATA' as const,
            stateReason: 'Unchecked: Initial alarm creation',
            stateUpdatedTimestamp: now,
            stateTransitionedTimestamp: now,
          };
          return alarms.save(created, null, [configurationHistory('Create', created, p, now)]);
        }
        // The configuration is replaced whole; state and tags stay (tags change through TagResource).
        const updated = { ...existing, ...config, configurationUpdatedTimestamp: now };
        return alarms.save(updated, existing.revision, [configurationHistory('Update', updated, p, now, existing)]);
      });
      return {};
    },

    async DescribeAlarms(input, ctx) {
      const related = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
      if (input.ChildrenOfAlarmName !== undefined && input.ParentsOfAlarmName !== undefined) {
        throw CloudWatchErrors.invalidCombination('The parameters ChildrenOfAlarmName and ParentsOfAlarmName are mutually exclusive and you have specified both.');
      }
      if (related !== undefined) {
        const others = ['AlarmNames', 'AlarmNamePrefix', 'AlarmTypes', 'StateValue', 'ActionPrefix'].filter((k) => input[k] !== undefined);
        if (others.length > 0) {
          const which = input.ChildrenOfAlarmName !== undefined ? 'ChildrenOfAlarmName' : 'ParentsOfAlarmName';
          throw CloudWatchErrors.validation(`If ${which} is specified, only MaxRecords and NextToken may be specified with it; found ${others.join(', ')}.`);
        }
      }
      if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
        throw CloudWatchErrors.invalidCombination('The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.');
      }
      const types = alarmTypes(input.AlarmTypes);
      const after = input.NextToken !== undefined ? decodeName(input.NextToken) : undefined;
      // Composite alarms do not exist in Nimbus, so they have no children and metric alarms no parents.
      if (related !== undefined || !types.includes('MetricAlarm')) return { MetricAlarms: [], CompositeAlarms: [] };
      const limit = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
      const matching = (await alarms.list(scopeOf(ctx), { names: input.AlarmNames, prefix: input.AlarmNamePrefix, afterName: after })).filter(
        (a) =>
          (input.StateValue === undefined || a.stateValue === input.StateValue) &&
          (input.ActionPrefix === undefined || [...a.okActions, ...a.alarmActions, ...a.insufficientDataActions].some((x) => x.startsWith(input.ActionPrefix))),
      );
      const page = matching.slice(0, limit);
      return {
        MetricAlarms: page.map((a) => toMetricAlarm(a, scopeOf(ctx))),
        CompositeAlarms: [],
        ...(matching.length > limit ? { NextToken: encode(page[page.length - 1]!.name) } : {}),
      };
    },

    async DescribeAlarmsForMetric(input, ctx) {
      const dimensions = canonical((input.Dimensions ?? []).map((d: { Name: string; Value: string }) => ({ name: d.Name, value: d.Value })));
      const matching = (await alarms.list(scopeOf(ctx), {})).filter(
        (a) =>
          a.namespace === input.Namespace &&
          a.metricName === input.MetricName &&
          canonical(a.dimensions) === dimensions &&
          (input.Statistic === undefined || a.statistic === input.Statistic) &&
          (input.ExtendedStatistic === undefined || a.extendedStatistic === input.ExtendedStatistic) &&
          (input.Period === undefined || a.period === input.Period) &&
          (input.Unit === undefined || a.unit === input.Unit),
      );
      return { MetricAlarms: matching.map((a) => toMetricAlarm(a, scopeOf(ctx))) };
    },

    async DeleteAlarms(input, ctx) {
      // Names that match no alarm are skipped: "If you specify any incorrect alarm names, the
      // alarms you specify with correct names are still deleted" (API reference).
      const p = scopeOf(ctx);
      for (const name of input.AlarmNames as string[]) {
        const alarm = await alarms.get(p, name);
        if (alarm) await alarms.delete(p, name, [configurationHistory('Delete', alarm, p, clock.now())]);
      }
      return {};
    },

    async SetAlarmState(input, ctx) {
      const value = input.StateValue as AlarmStateValue;
      if (input.StateReasonData !== undefined) {
        try {
          JSON.parse(input.StateReasonData);
        } catch {
          throw CloudWatchErrors.invalidFormat('StateReasonData must be a JSON document.');
        }
      }
      let change: { before: AlarmRecord; after: AlarmRecord } | undefined;
      await retrying(async () => {
        const alarm = await alarms.get(scopeOf(ctx), input.AlarmName);
        if (!alarm) throw alarmNotFound(input.AlarmName);
        if (alarm.stateValue === value) return alarm;
        const next = transition(alarm, { value, reason: input.StateReason, reasonData: input.StateReasonData }, clock.now());
        const saved = await alarms.save(next.alarm, alarm.revision, next.history);
        if (saved) change = { before: alarm, after: saved };
        return saved;
      });
      if (change) await deps.actions?.(change.before, change.after);
      return {};
    },

    async DescribeAlarmHistory(input, ctx) {
      const types = alarmTypes(input.AlarmTypes);
      const after = input.NextToken !== undefined ? decodeHistoryCursor(input.NextToken) : undefined;
      // Nimbus has neither composite alarms nor Metrics Insights contributors.
      if (!types.includes('MetricAlarm') || input.AlarmContributorId !== undefined || input.HistoryItemType?.startsWith('AlarmContributor')) {
        return { AlarmHistoryItems: [] };
      }
      const limit = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
      const items = await alarms.history(scopeOf(ctx), {
        alarmName: input.AlarmName,
        itemType: input.HistoryItemType as AlarmHistoryItemType | undefined,
        startTime: (input.StartDate as Date | undefined)?.getTime(),
        endTime: (input.EndDate as Date | undefined)?.getTime(),
        descending: input.ScanBy !== 'TimestampAscending',
        after,
        limit: limit + 1,
      });
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        AlarmHistoryItems: page.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(h.timestamp),
          HistoryItemType: h.itemType,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        ...(items.length > limit && last ? { NextToken: encode(`${last.timestamp}:${last.id}`) } : {}),
      };
    },

    EnableAlarmActions: (input, ctx) => setActionsEnabled(input.AlarmNames, true, scopeOf(ctx)),
    DisableAlarmActions: (input, ctx) => setActionsEnabled(input.AlarmNames, false, scopeOf(ctx)),
  };

  async function setActionsEnabled(names: string[], enabled: boolean, p: Scope): Promise<Record<string, never>> {
    for (const name of names) {
      await retrying(async () => {
        const alarm = await alarms.get(p, name);
        if (!alarm || alarm.actionsEnabled === enabled) return alarm ?? true;
        const now = clock.now();
        const updated = { ...alarm, actionsEnabled: enabled, configurationUpdatedTimestamp: now };
        return alarms.save(updated, alarm.revision, [configurationHistory('Update', updated, p, now, alarm)]);
      });
    }
    return {};
  }
}

/** Runs a read-then-conditional-write until the write lands (it returns something). */
async function retrying(attempt: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ATTEMPTS; i++) if ((await attempt()) !== undefined) return;
  throw CloudWatchErrors.concurrentModification('The alarm was modified by another request at the same time; retry.');
}

/** AlarmTypes: MetricAlarm only when absent, as CloudWatch. */
const alarmTypes = (types: string[] | undefined): string[] => types ?? ['MetricAlarm'];

/** A dimension set as one comparable text (the set, not its order, names the metric). */
const canonical = (dims: { name: string; value: string }[]): string =>
  JSON.stringify(dims.map((d) => [d.name, d.value]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)));

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function decode(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidNextToken();
  return Buffer.from(token, 'base64url').toString('utf8');
}

function decodeName(token: string): string {
  const name = decode(token);
  if (name.length === 0 || name.length > 255) throw invalidNextToken();
  return name;
}

function decodeHistoryCursor(token: string): { timestamp: number; id: number } {
  const m = /^(\d+):(\d+)$/.exec(decode(token));
  if (!m) throw invalidNextToken();
  return { timestamp: Number(m[1]), id: Number(m[2]) };
}

