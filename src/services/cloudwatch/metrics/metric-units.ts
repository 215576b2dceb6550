/** CloudWatch's StandardUnit values (the model's enum), which the metric operations check themselves (cloudwatch-service.ts, HANDLER_ENUMS). */
export const STANDARD_UNITS: ReadonlySet<string> = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

/** The five statistics of GetMetricStatistics' `Statistics`. */
export const BASIC_STATISTICS: ReadonlySet<string> = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
