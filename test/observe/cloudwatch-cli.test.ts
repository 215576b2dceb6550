/** CloudWatch metrics through the unmodified aws CLI 2.9 (Debian's), which speaks the query protocol. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, hasAwsCliV2 } from '../support/server/aws-cli.js';
import { removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';


let nimbus: NimbusProcess;
let home: string;

// npm test installs awscli v2 (scripts/setup.sh); a machine without it skips, with this reason.
describe.skipIf(!hasAwsCliV2)('aws cloudwatch (CLI)', () => {
  beforeAll(async () => {
    nimbus = await startNimbus();
    home = mkdtempSync(join(tmpdir(), 'nimbus-cwcli-'));
  });
  afterAll(async () => {
    await nimbus?.stop();
    if (nimbus) removeDataDir(nimbus.dataDir);
    rmSync(home, { recursive: true, force: true });
  });

  const aws = (...args: string[]) => awsCli(nimbus.url, home, args, { AWS_MAX_ATTEMPTS: '1' });

  it('puts metric data and reads statistics back', async () => {
    const base = Math.floor(Date.now() / 60_000) * 60_000;
    const at = new Date(base - 120_000).toISOString();
    await aws('cloudwatch', 'put-metric-data', '--namespace', 'Cli/Test', '--metric-name', 'Jobs', '--unit', 'Count',
      '--value', '3', '--dimensions', 'Queue=high', '--timestamp', at);
    await aws('cloudwatch', 'put-metric-data', '--namespace', 'Cli/Test', '--metric-data',
      JSON.stringify([{ MetricName: 'Jobs', Unit: 'Count', Values: [1, 2], Counts: [1, 1], Timestamp: at, Dimensions: [{ Name: 'Queue', Value: 'high' }] }]));
    const stats = JSON.parse(
      (await aws('cloudwatch', 'get-metric-statistics', '--namespace', 'Cli/Test', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=high',
        '--start-time', new Date(base - 600_000).toISOString(), '--end-time', new Date(base).toISOString(), '--period', '60',
        '--statistics', 'Sum', 'Maximum', 'SampleCount', '--extended-statistics', 'p50')).stdout,
    );
    expect(stats.Label).toBe('Jobs');
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints[0]).toMatchObject({ Sum: 6, Maximum: 3, SampleCount: 3, Unit: 'Count' });
    expect(stats.Datapoints[0].ExtendedStatistics.p50).toBeCloseTo(2, 1);
    expect(new Date(stats.Datapoints[0].Timestamp).getTime()).toBe(base - 120_000);
    const listed = JSON.parse((await aws('cloudwatch', 'list-metrics', '--namespace', 'Cli/Test')).stdout);
    expect(listed.Metrics).toEqual([{ Namespace: 'Cli/Test', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'high' }] }]);
  });

  it('reports AWS errors', async () => {
    const failed = await aws('cloudwatch', 'put-metric-data', '--namespace', 'AWS/Mine', '--metric-name', 'm', '--value', '1').then(
      () => undefined,
      (err: { stderr: string }) => err,
    );
    expect(failed?.stderr).toMatch(
      /An error occurred \(InvalidParameterValue\) when calling the PutMetricData operation.*: The value AWS\/Mine for parameter Namespace is invalid\./,
    );
  });
});
