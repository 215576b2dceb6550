/**
 * `nimbus deploy DIR`: zips a folder and creates the function, or updates it when it exists;
 * `--publish` then publishes a version, and `--alias NAME` points the alias at it (creating
 * the alias the first time).
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClientConfig } from '../client-config.js';
import { warnIfNotIsolated } from '../isolation-warning.js';
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
  publish?: boolean;
  /** Implies publish: an alias points at a published version. */
  alias?: string;
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
  if (!(await exists(lambda, options.name))) {
    const created = await lambda.send(
      new CreateFunctionCommand({
        ...settings,
        Role: options.role ?? 'arn:aws:iam::000000000000:role/nimbus-function',
        Code: { ZipFile: zip },
      }),
    );
    await waitUntilFunctionActiveV2(waiter, { FunctionName: options.name });
    process.stdout.write(`created ${created.FunctionArn} (${created.CodeSha256})\n`);
  } else {
    const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: options.name, ZipFile: zip }));
    await waitUntilFunctionUpdatedV2(waiter, { FunctionName: options.name });
    await lambda.send(new UpdateFunctionConfigurationCommand(settings));
    await waitUntilFunctionUpdatedV2(waiter, { FunctionName: options.name });
    process.stdout.write(`updated ${code.FunctionArn} (${code.CodeSha256})\n`);
  }
  if (options.publish || options.alias) await publish(lambda, options.name, options.alias);
  await warnIfNotIsolated(config);
}

/** Publishes $LATEST (after the configuration update, so the version has both) and moves the alias. */
async function publish(lambda: LambdaClient, name: string, alias: string | undefined): Promise<void> {
  const version = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  process.stdout.write(`published ${version.FunctionArn}\n`);
  if (!alias) return;
  const target = { FunctionName: name, Name: alias, FunctionVersion: version.Version };
  try {
    const updated = await lambda.send(new UpdateAliasCommand(target));
    process.stdout.write(`alias ${updated.AliasArn} -> ${updated.FunctionVersion}\n`);
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
    const created = await lambda.send(new CreateAliasCommand(target));
    process.stdout.write(`alias ${created.AliasArn} -> ${created.FunctionVersion}\n`);
  }
}

async function exists(lambda: LambdaClient, name: string): Promise<boolean> {
  try {
    await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
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
