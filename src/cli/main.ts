/**
 * `nimbus`: the command table. Every command but `server` is an AWS API client of a running
 * server. Daily commands have short names (`nimbus invoke`, `nimbus logs`).
 */
import { Command } from 'commander';

// Nimbus supports Node.js 20 (package.json engines); the SDK's notice about its own future
// Node.js 22 requirement is noise on every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { clientConfig, type GlobalOptions } from './client-config.js';
import { deployCommand } from './commands/deploy.js';
import { listFunctionsCommand } from './commands/functions.js';
import { invokeCommand } from './commands/invoke.js';
import { logsCommand } from './commands/logs.js';
import { serverCommand } from './commands/server.js';
import { serverFlags } from '../server/config.js';

const program = new Command('nimbus')
  .description('Self-hosted serverless compute that speaks AWS Lambda')
  .option('--endpoint-url <url>', 'Nimbus endpoint (default $AWS_ENDPOINT_URL or http://127.0.0.1:4566)')
  .option('--region <region>', 'region (default $AWS_REGION or us-east-1)')
  .option('--data-dir <dir>', "data directory (server: where state lives, default ~/.nimbus; clients: where to read the generated credentials)");

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
const collect = (value: string, previous: string[] = []) => [...previous, value];

const server = program
  .command('server')
  .description('run Nimbus in the foreground (SIGTERM drains and exits); takes the global --data-dir and --region');
// The platform's flags and every service's, as their plugin records declare them.
for (const { flag, description } of serverFlags()) server.option(flag, description);
server.action(async (options) => {
  await serverCommand({ ...options, dataDir: globals().dataDir, region: globals().region });
});

program
  .command('deploy <dir>')
  .description('zip a folder and create or update a function from it')
  .requiredOption('-n, --name <name>', 'function name')
  .requiredOption('-r, --runtime <runtime>', 'runtime, e.g. nodejs20.x, python3.12, provided.al2023')
  .requiredOption('-H, --handler <handler>', 'handler, e.g. index.handler')
  .option('-e, --env <KEY=VALUE>', 'environment variable (repeatable)', collect)
  .option('-m, --memory <mb>', 'memory size in MB')
  .option('-t, --timeout <seconds>', 'timeout in seconds')
  .option('--role <arn>', 'execution role ARN')
  .option('--description <text>', 'description')
  .option('--publish', 'publish a version after deploying')
  .option('--alias <name>', 'point this alias at the published version (implies --publish)')
  .action(async (dir, options) => deployCommand(dir, options, clientConfig(globals())));

program
  .command('invoke <function> [payload]')
  .description('invoke a function synchronously with a JSON payload (NAME or NAME:QUALIFIER)')
  .option('--tail', 'print the last 4 KB of the invocation log to stderr')
  .action(async (target, payload, options) => {
    process.exitCode = await invokeCommand(target, payload, options, clientConfig(globals()));
  });

program
  .command('logs <function>')
  .description("print a function's logs")
  .option('-f, --follow', 'keep printing new events')
  .option('--since <duration>', 'how far back to start, e.g. 30s, 10m, 2h (default 10m)')
  .option('--log-group <name>', 'log group (default /aws/lambda/<function>)')
  .action(async (name, options) => logsCommand(name, options, clientConfig(globals())));

const functions = program.command('functions').description('manage functions');
functions
  .command('list')
  .alias('ls')
  .description('list functions')
  .action(async () => listFunctionsCommand(clientConfig(globals())));

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`nimbus: ${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}\n`);
  process.exit(1);
});
