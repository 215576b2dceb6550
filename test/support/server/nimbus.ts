/**
 * Starts a real `nimbus server` process for integration tests: built CLI, temp data dir,
 * port 0 (the URL is read from the server's structured "listening" log line), fixed root
 * credentials. Clients are the real AWS SDK clients.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'nimbus.js');
export const CREDENTIALS = { accessKeyId: 'AKIDNIMBUSTEST000001', secretAccessKey: 'nimbus-test-secret-key-0000000000000000' };
export const REGION = 'us-east-1';
export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export interface NimbusProcess {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Every structured log line the server wrote, parsed. */
  logs: Record<string, any>[];
  lambda: LambdaClient;
  logsClient: CloudWatchLogsClient;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
}

export async function startNimbus(options: StartOptions = {}): Promise<NimbusProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nimbus-it-'));
  const child = spawn(process.execPath, [CLI, 'server', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: {
      ...process.env,
      NIMBUS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      NIMBUS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, any>[] = [];
  let stderr = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${stderr}`)), 20_000);
    let pending = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          const entry = JSON.parse(line);
          logs.push(entry);
          if (entry.msg === 'nimbus listening') {
            clearTimeout(timer);
            ok(entry.url);
          }
        } catch {
          // not a structured line (a crash trace): kept in `stderr` for the failure message
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const clientConfig = { endpoint: url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return {
    url,
    dataDir,
    process: child,
    logs,
    lambda: new LambdaClient(clientConfig),
    logsClient: new CloudWatchLogsClient(clientConfig),
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
