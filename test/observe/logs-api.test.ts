/** CloudWatch Logs retention and tags through the real @aws-sdk/client-cloudwatch-logs. */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/server/aws-failure.js';
import { removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';

let nimbus: NimbusProcess;
const DAY = 86_400_000;
const arn = (group: string) => `arn:aws:logs:us-east-1:000000000000:log-group:${group}`;

beforeAll(async () => {
  nimbus = await startNimbus();
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

describe('log group retention', () => {
  it('deletes events older than the retention and reports it', async () => {
    const logs = nimbus.logsClient;
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/retained' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/retained', logStreamName: 's' }));
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/app/retained',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 3 * DAY, message: 'three days old' },
          { timestamp: now, message: 'fresh' },
        ],
      }),
    );
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/retained', retentionInDays: 1 }));
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/retained' }));
    expect(events.events?.map((e) => e.message)).toEqual(['fresh']);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/retained' }));
    expect(groups.logGroups?.[0]?.retentionInDays).toBe(1);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/app/retained' }));
    const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/retained' }));
    expect(after.logGroups?.[0]?.retentionInDays).toBeUndefined();
  });

  it('refuses retention periods CloudWatch does not offer, and unknown groups', async () => {
    const bad = await failure(() => nimbus.logsClient.send(new PutRetentionPolicyCommand({ logGroupName: '/app/retained', retentionInDays: 2 })));
    expect(bad.name).toBe('InvalidParameterException');
    const missing = await failure(() => nimbus.logsClient.send(new PutRetentionPolicyCommand({ logGroupName: '/nope', retentionInDays: 1 })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('log group tags', () => {
  it('tags on create, tags and untags by ARN, and lists them', async () => {
    const logs = nimbus.logsClient;
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/tagged', tags: { team: 'core' } }));
    await logs.send(new TagResourceCommand({ resourceArn: arn('/app/tagged'), tags: { env: 'dev' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn('/app/tagged') }))).tags).toEqual({ team: 'core', env: 'dev' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn('/app/tagged'), tagKeys: ['team'] }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn('/app/tagged') }))).tags).toEqual({ env: 'dev' });
    const missing = await failure(() => logs.send(new ListTagsForResourceCommand({ resourceArn: arn('/nope') })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});
