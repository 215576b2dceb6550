/**
 * The aws CLI v2 for integration tests: Debian's (what npm test installs) is preferred over any
 * other `aws` on PATH (a pyenv shim may be v1). Tests that need it skip, with this reason, on a
 * machine without it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CREDENTIALS, REGION } from './nimbus.js';

export const AWS_CLI = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

export const hasAwsCliV2 = (() => {
  try {
    return /^aws-cli\/2\./.test(execFileSync(AWS_CLI, ['--version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

const run = promisify(execFile);

/**
 * Runs `aws --endpoint-url ENDPOINT --region us-east-1 --output json ...args` with the test's root
 * credentials, a HOME of its own (no user config leaks in) and no pager; resolves with its output.
 */
export function awsCli(endpoint: string, home: string, args: string[], env: Record<string, string> = {}) {
  return run(AWS_CLI, ['--endpoint-url', endpoint, '--region', REGION, '--output', 'json', ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_PAGER: '',
      ...env,
    },
  });
}
