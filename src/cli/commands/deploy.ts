/** `nimbus deploy DIR`: zips a folder and creates the function, or updates it when it exists. */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClientConfig } from '../client-config.js';
import { zipDirectory } from '../zip-directory.js';

export interface DeployOptions {
  name: string;
  runtime: string;
  handler: string;
  env?: string[];
  memory?: string;
  timeout?: string;
  role?: string;
  description?: string;
}

export async function deployCommand(dir: string, options: DeployOptions, config: ClientConfig): Promise<void> {
  const root = resolve(dir);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`not a directory: ${dir}`);
  const variables = parseEnv(options.env ?? []);
  const zip = await zipDirectory(root);
  const lambda = new LambdaClient(config);
  const settings = {
    FunctionName: options.name,
    Runtime: options.runtime as any,
    Handler: options.handler,
    ...(options.memory ? { MemorySize: Number(options.memory) } : {}),
    ...(options.timeout ? { Timeout: Number(options.timeout) } : {}),
    ...(options.description !== undefined ? { Description: options.description } : {}),
    ...(options.env ? { Environment: { Variables: variables } } : {}),
  };
  const waiter = { client: lambda, maxWaitTime: 60, minDelay: 1, maxDelay: 2 };
  try {
    await lambda.send(new GetFunctionCommand({ FunctionName: options.name }));
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
    const created = await lambda.send(
      new CreateFunctionCommand({
        ...settings,
        Role: options.role ?? 'arn:aws:iam::000000000000:role/nimbus-function',
        Code: { ZipFile: zip },
      }),
    );
    await waitUntilFunctionActiveV2(waiter, { FunctionName: options.name });
    process.stdout.write(`created ${created.FunctionArn} (${created.CodeSha256})\n`);
    return;
  }
  const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: options.name, ZipFile: zip }));
  await waitUntilFunctionUpdatedV2(waiter, { FunctionName: options.name });
  await lambda.send(new UpdateFunctionConfigurationCommand(settings));
  await waitUntilFunctionUpdatedV2(waiter, { FunctionName: options.name });
  process.stdout.write(`updated ${code.FunctionArn} (${code.CodeSha256})\n`);
}

function parseEnv(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--env expects KEY=VALUE, got: ${pair}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
