/** `nimbus logs NAME [--follow]`: prints a function's log events, like `aws logs tail`. */
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientConfig } from '../client-config.js';

export interface LogsOptions {
  follow?: boolean;
  since?: string;
  logGroup?: string;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export async function logsCommand(name: string, options: LogsOptions, config: ClientConfig): Promise<void> {
  const logs = new CloudWatchLogsClient(config);
  const logGroupName = options.logGroup ?? `/aws/lambda/${name}`;
  let startTime = Date.now() - parseSince(options.since ?? '10m');
  const seen = new Set<string>();
  for (;;) {
    let nextToken: string | undefined;
    let newest = startTime;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName, startTime, nextToken }));
      for (const e of page.events ?? []) {
        if (seen.has(e.eventId!)) continue;
        seen.add(e.eventId!);
        print(e);
        newest = Math.max(newest, e.timestamp ?? 0);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (!options.follow) return;
    // Re-read from the newest timestamp seen; the id set drops what was already printed.
    startTime = newest;
    await sleep(1000);
  }
}

function print(e: FilteredLogEvent): void {
  const time = new Date(e.timestamp ?? 0).toISOString();
  process.stdout.write(`${time} ${e.logStreamName} ${(e.message ?? '').replace(/\n$/, '')}\n`);
}

function parseSince(since: string): number {
  const m = /^(\d+)([smhd])$/.exec(since);
  if (!m) throw new Error(`--since expects a duration like 30s, 10m, 2h or 1d, got: ${since}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}
