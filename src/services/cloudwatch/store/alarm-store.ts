/**
 * CloudWatch's alarms in the store: metric alarms of each scope (their configuration and current
 * state) and their history (configuration changes, state changes, actions). History outlives its
 * alarm, as CloudWatch keeps it after DeleteAlarms; it is expired by age.
 */
import type { Scope } from '../../../shared/scope.js';
import type { MetricDimension } from './metric-store.js';

/** An alarm's state, as CloudWatch names it. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One metric alarm: what PutMetricAlarm configured plus the state evaluation keeps. */
export interface AlarmRecord extends Scope {
  name: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  namespace: string;
  metricName: string;
  /** As given (order kept for DescribeAlarms); the metric is the set. */
  dimensions: MetricDimension[];
  statistic?: string;
  extendedStatistic?: string;
  /** Seconds. */
  period: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData?: string;
  evaluateLowSampleCountPercentile?: string;
  /** Tags given when the alarm was created (an update keeps them, as CloudWatch). */
  tags: { key: string; value: string }[];
  /** Epoch milliseconds, like every time here. */
  configurationUpdatedTimestamp: number;
  stateValue: AlarmStateValue;
  stateReason: string;
  /** JSON text, as StateReasonData. */
  stateReasonData?: string;
  stateUpdatedTimestamp: number;
  stateTransitionedTimestamp: number;
  /** Store-assigned; changes on every write, so a writer can insist nothing changed since it read. */
  revision: number;
}

/** The kinds of history item CloudWatch records for a metric alarm. */
export type AlarmHistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

/** One history item, as DescribeAlarmHistory returns it. */
export interface AlarmHistoryRecord {
  /** Store-assigned, increasing: the tie-breaker between items of the same millisecond. */
  id: number;
  alarmName: string;
  timestamp: number;
  itemType: AlarmHistoryItemType;
  summary: string;
  /** JSON text, as HistoryData. */
  data: string;
}

/** A history item to append. */
export type NewAlarmHistory = Omit<AlarmHistoryRecord, 'id'>;

/** DescribeAlarmHistory's filters and paging, as the store answers them. */
export interface AlarmHistoryQuery {
  alarmName?: string;
  itemType?: AlarmHistoryItemType;
  /** Inclusive bounds, ms. */
  startTime?: number;
  endTime?: number;
  /** Newest first (TimestampDescending, the default) or oldest first. */
  descending: boolean;
  /** Resume after this item (its timestamp and id) in the scan's order. */
  after?: { timestamp: number; id: number };
  limit: number;
}

/** Which alarms to list: by exact names or a name prefix, in name order, after a name. */
export interface AlarmListQuery {
  names?: string[];
  prefix?: string;
  afterName?: string;
  limit?: number;
}

/** Where a listing of every scope's alarms resumes: after this alarm. */
export type AlarmCursor = Pick<AlarmRecord, 'accountId' | 'region' | 'name'>;

export interface AlarmStore {
  get(scope: Scope, name: string): Promise<AlarmRecord | undefined>;
  /** The scope's alarms ordered by name. */
  list(scope: Scope, query: AlarmListQuery): Promise<AlarmRecord[]>;
  /** Every scope's alarms, by account, region and name, after `after` (the evaluator's pass). */
  listAll(after: AlarmCursor | undefined, limit: number): Promise<AlarmRecord[]>;
  /**
   * Writes the alarm (in its own scope) and appends `history` in one transaction, if the stored
   * alarm's revision is `expectedRevision` (`null`: only if there is none). Returns the stored
   * alarm with its new revision, or undefined when someone else wrote first.
   */
  save(alarm: Omit<AlarmRecord, 'revision'>, expectedRevision: number | null, history: NewAlarmHistory[]): Promise<AlarmRecord | undefined>;
  /** Deletes the alarm and appends `history` in one transaction; false when there was none. */
  delete(scope: Scope, name: string, history: NewAlarmHistory[]): Promise<boolean>;
  /** Appends history items that follow a write (what an alarm's actions did). */
  appendHistory(scope: Scope, history: NewAlarmHistory[]): Promise<void>;
  history(scope: Scope, query: AlarmHistoryQuery): Promise<AlarmHistoryRecord[]>;
  /** Deletes history items older than `before`, in every scope; returns how many went. */
  expireHistory(before: number): Promise<number>;
}
