/**
 * CloudWatch metrics, the part Nimbus serves today: PutMetricData for custom metrics,
 * GetMetricStatistics, GetMetricData (MetricStat queries) and ListMetrics over per-minute
 * aggregates in the store, which also holds Lambda's own `AWS/Lambda` metrics
 * (observe/lambda-metrics.ts). The model lists three protocols; the edge answers each request in
 * the one it came in (SDK v3: json, aws CLI 2.9: query, opt-in: rpc-v2-cbor).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/Welcome.html
 */
import { isPercentile } from '../../observe/metric-aggregate.js';
import { loadModel } from '../../kit/models/models.js';
import type { ServiceDefinition } from '../../kit/service-definition.js';
import type { Clock } from '../../shared/clock.js';
import { scopeOf } from '../../shared/scope.js';
import type { AlarmRecord, AlarmStore } from './store/alarm-store.js';
import { readerOf, type MetricStore } from './store/metric-store.js';
import { alarmOperations } from './alarms/alarm-operations.js';
import { CloudWatchErrors, invalidNextToken, invalidParameter } from './cloudwatch-errors.js';
import { getMetricData } from './metrics/get-metric-data.js';
import { alignStart, periodServable, checkRange, periodAggregates, statisticOf } from './metrics/metric-statistics.js';
import { BASIC_STATISTICS, STANDARD_UNITS } from './metrics/metric-units.js';
import { toMetricPoints, type MetricDatum } from './metrics/put-metric-data.js';

/** What the CloudWatch service is built from (wired at the composition root). */
export interface CloudWatchDeps {
  store: MetricStore;
  clock: Clock;
  /** Metrics recorded but not yet written (Lambda's own); reads flush them first so they see them. */
  pending?: { flush(): Promise<void> };
  /** Metric alarms (alarms/alarm-operations.ts); evaluated by AlarmEvaluator, wired beside this service. */
  alarms: AlarmStore;
  /** Runs the actions of an alarm's saved state change (alarms/alarm-actions.ts). */
  alarmActions?: (before: AlarmRecord, after: AlarmRecord) => Promise<void>;
}

const MAX_DATAPOINTS = 1440;
const LIST_PAGE = 500;
/** ListMetrics shows metrics with data in the last two weeks, as CloudWatch. */
const LIST_WINDOW_MS = 14 * 24 * 3600_000;
const RECENT_MS = 3 * 3600_000;

/**
 * Enums the handlers check themselves. The metric operations answer a bad unit, statistic, ScanBy
 * or RecentlyActive with InvalidParameterValue ("The value X for parameter P is invalid."), not
 * the edge's ValidationError; toAlarmConfiguration checks PutMetricAlarm's Statistic and Unit so
 * that it stands alone. Every other enum (alarm states, types, history items...) is the edge's.
 */
const HANDLER_ENUMS = {
  PutMetricData: ['StandardUnit'],
  GetMetricStatistics: ['Statistic', 'StandardUnit'],
  GetMetricData: ['StandardUnit', 'ScanBy'],
  ListMetrics: ['RecentlyActive'],
  PutMetricAlarm: ['Statistic', 'StandardUnit'],
};

/** The CloudWatch ServiceDefinition (signing name `monitoring`). */
export function cloudWatchService(deps: CloudWatchDeps): ServiceDefinition {
  const { store, clock } = deps;
  const flush = async () => deps.pending?.flush();

  return {
    signingName: 'monitoring',
    model: loadModel('cloudwatch'),
    access: { iamPrefix: 'cloudwatch' },
    operations: {
      ...alarmOperations({ alarms: deps.alarms, clock, ...(deps.alarmActions ? { actions: deps.alarmActions } : {}) }),
      async PutMetricData(input, ctx) {
        const data: MetricDatum[] = [
          ...(input.MetricData ?? []),
          ...((input.EntityMetricData ?? []) as { MetricData?: MetricDatum[] }[]).flatMap((e) => e.MetricData ?? []),
        ];
        if (data.length === 0) throw CloudWatchErrors.missingParameter('The parameter MetricData is required.');
        await store.put(scopeOf(ctx), toMetricPoints(input.Namespace, data, clock.now()));
        return {};
      },

      async GetMetricStatistics(input, ctx) {
        const statistics: string[] = input.Statistics ?? [];
        const extended: string[] = input.ExtendedStatistics ?? [];
        if (statistics.length === 0 && extended.length === 0) {
          throw CloudWatchErrors.invalidCombination('Must specify either Statistics or ExtendedStatistics.');
        }
        statistics.forEach((s, i) => {
          if (!BASIC_STATISTICS.has(s)) throw invalidParameter(s, `Statistics.member.${i + 1}`);
        });
        extended.forEach((s, i) => {
          if (!isPercentile(s)) throw invalidParameter(s, `ExtendedStatistics.member.${i + 1}`);
        });
        if (input.Unit !== undefined && !STANDARD_UNITS.has(input.Unit)) throw invalidParameter(input.Unit, 'Unit');
        const start: Date = input.StartTime;
        const end: Date = input.EndTime;
        checkRange(start, end, input.Period);
        const from = alignStart(start.getTime(), clock.now());
        const requested = Math.ceil((end.getTime() - from) / (input.Period * 1000));
        if (requested > MAX_DATAPOINTS) {
          throw CloudWatchErrors.invalidCombination(
            `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. ` +
              'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
          );
        }
        await flush();
        if (!periodServable(input.Period, start.getTime(), clock.now())) return { Label: input.MetricName, Datapoints: [] };
        const points = await store.points(scopeOf(ctx), {
          metric: {
            namespace: input.Namespace,
            metricName: input.MetricName,
            dimensions: ((input.Dimensions ?? []) as { Name: string; Value: string }[]).map((d) => ({ name: d.Name, value: d.Value })),
          },
          unit: input.Unit,
          startTime: from,
          endTime: end.getTime(),
        });
        const datapoints = periodAggregates(points, from, input.Period).map((period) => {
          const point: Record<string, unknown> = { Timestamp: new Date(period.timestamp), Unit: period.unit };
          for (const s of statistics) point[s] = statisticOf(period, s);
          if (extended.length > 0) {
            const values: Record<string, number> = {};
            for (const s of extended) {
              const v = statisticOf(period, s);
              if (v !== undefined) values[s] = v;
            }
            point.ExtendedStatistics = values;
          }
          return point;
        });
        return { Label: input.MetricName, Datapoints: datapoints };
      },

      async GetMetricData(input, ctx) {
        await flush();
        return getMetricData(readerOf(store, scopeOf(ctx)), input, clock.now());
      },

      async ListMetrics(input, ctx) {
        if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') throw invalidParameter(input.RecentlyActive, 'RecentlyActive');
        let after: number | undefined;
        if (input.NextToken !== undefined) {
          after = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
          if (!Number.isSafeInteger(after) || after < 0) throw invalidNextToken();
        }
        await flush();
        const now = clock.now();
        const metrics = await store.list(scopeOf(ctx), {
          namespace: input.Namespace,
          metricName: input.MetricName,
          dimensions: ((input.Dimensions ?? []) as { Name: string; Value?: string }[]).map((d) => ({ name: d.Name, value: d.Value })),
          activeSince: alignStart(now - (input.RecentlyActive ? RECENT_MS : LIST_WINDOW_MS), now),
          afterCursor: after,
          limit: LIST_PAGE + 1,
        });
        const page = metrics.slice(0, LIST_PAGE);
        return {
          Metrics: page.map((m) => ({
            Namespace: m.namespace,
            MetricName: m.metricName,
            Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
          })),
          ...(metrics.length > LIST_PAGE ? { NextToken: Buffer.from(String(page[page.length - 1]!.cursor)).toString('base64url') } : {}),
        };
      },
    },
    handlerEnums: HANDLER_ENUMS,
  };
}
