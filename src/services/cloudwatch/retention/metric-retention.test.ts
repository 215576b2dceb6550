import { describe, expect, it } from 'vitest';
import { metricRetentionPlan, storagePeriodMs } from './metric-retention.js';
import { alignStart } from '../metrics/metric-statistics.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12, 34, 56);

describe('metricRetentionPlan', () => {
  it("cuts at CloudWatch's ages, on whole five-minute and hour buckets", () => {
    expect(metricRetentionPlan(NOW)).toEqual({
      rollUps: [
        // 63 days before 2026-03-01 12:34:56 is 2025-12-28 12:34:56: hours before 12:00 are whole.
        { fromPeriod: 60, toPeriod: 3600, before: Date.UTC(2025, 11, 28, 12, 0) },
        { fromPeriod: 300, toPeriod: 3600, before: Date.UTC(2025, 11, 28, 12, 0) },
        // 15 days before is 2026-02-14 12:34:56: five minutes before 12:30 are whole.
        { fromPeriod: 60, toPeriod: 300, before: Date.UTC(2026, 1, 14, 12, 30) },
      ],
      // 455 days before is 2024-12-01 12:34:56.
      deleteBefore: Date.UTC(2024, 11, 1, 12, 0),
    });
  });

  it('never rolls up a bucket part of which is younger than its age', () => {
    for (let now = NOW; now < NOW + 2 * 3_600_000; now += 17_000) {
      const plan = metricRetentionPlan(now);
      const [toHour, , toFive] = plan.rollUps;
      // The last bucket rolled up ends at or before the cut-off age.
      expect(toFive!.before).toBeLessThanOrEqual(now - 15 * DAY);
      expect(toFive!.before % 300_000).toBe(0);
      expect(toHour!.before).toBeLessThanOrEqual(now - 63 * DAY);
      expect(toHour!.before % 3_600_000).toBe(0);
      expect(plan.deleteBefore).toBeLessThanOrEqual(now - 455 * DAY);
      // ...and no bucket wholly past its age is left: the next bucket is not wholly past yet.
      expect(toFive!.before + 300_000).toBeGreaterThan(now - 15 * DAY);
      expect(toHour!.before + 3_600_000).toBeGreaterThan(now - 63 * DAY);
    }
  });
});

describe('storagePeriodMs and alignStart', () => {
  it('round a start down to the resolution kept at its age', () => {
    expect(storagePeriodMs(NOW - 3 * 3_600_000, NOW)).toBe(60_000);
    expect(storagePeriodMs(NOW - 15 * DAY, NOW)).toBe(60_000);
    expect(storagePeriodMs(NOW - 15 * DAY - 1, NOW)).toBe(300_000);
    expect(storagePeriodMs(NOW - 63 * DAY, NOW)).toBe(300_000);
    expect(storagePeriodMs(NOW - 63 * DAY - 1, NOW)).toBe(3_600_000);
    // The API reference's examples: 12:32:34 → 12:32:00, 12:30:00, 12:00:00.
    const at = (days: number) => Date.UTC(2026, 2, 1 - days, 12, 32, 34);
    const now = Date.UTC(2026, 2, 1, 13, 0);
    expect(alignStart(at(1), now)).toBe(Date.UTC(2026, 1, 28, 12, 32));
    expect(alignStart(at(20), now)).toBe(Date.UTC(2026, 1, 9, 12, 30));
    expect(alignStart(at(70), now)).toBe(Date.UTC(2025, 11, 21, 12, 0));
  });

  it('never starts a query inside a bucket the plan has rolled up', () => {
    for (let start = NOW - 70 * DAY; start < NOW; start += 7_777_777) {
      const plan = metricRetentionPlan(NOW);
      const from = alignStart(start, NOW);
      const [toHour, , toFive] = plan.rollUps;
      if (start < toHour!.before) expect(from % 3_600_000).toBe(0);
      else if (start < toFive!.before) expect(from % 300_000).toBe(0);
    }
  });
});
