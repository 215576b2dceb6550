/** `nimbus functions list`: one line per function. */
import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import type { ClientConfig } from '../client-config.js';
import { warnIfNotIsolated } from '../isolation-warning.js';

export async function listFunctionsCommand(config: ClientConfig): Promise<void> {
  const lambda = new LambdaClient(config);
  const rows: string[][] = [['NAME', 'RUNTIME', 'MEMORY', 'TIMEOUT', 'LAST MODIFIED']];
  for await (const page of paginateListFunctions({ client: lambda }, {})) {
    for (const f of page.Functions ?? []) {
      rows.push([f.FunctionName ?? '', f.Runtime ?? '', String(f.MemorySize ?? ''), String(f.Timeout ?? ''), f.LastModified ?? '']);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
  await warnIfNotIsolated(config);
}
