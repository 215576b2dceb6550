/** `nimbus invoke NAME[:QUALIFIER] [JSON]`: a synchronous invoke; prints the result. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ClientConfig } from '../client-config.js';

export interface InvokeOptions {
  tail?: boolean;
}

/** Returns the process exit code: 1 when the function failed. */
export async function invokeCommand(target: string, payload: string | undefined, options: InvokeOptions, config: ClientConfig): Promise<number> {
  const lambda = new LambdaClient(config);
  const colon = target.indexOf(':');
  const [name, qualifier] = colon > 0 && !target.startsWith('arn:') ? [target.slice(0, colon), target.slice(colon + 1)] : [target, undefined];
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      ...(qualifier ? { Qualifier: qualifier } : {}),
      Payload: Buffer.from(payload ?? '{}'),
      LogType: options.tail ? 'Tail' : 'None',
    }),
  );
  if (options.tail && result.LogResult) process.stderr.write(Buffer.from(result.LogResult, 'base64').toString('utf8'));
  const body = Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8');
  if (result.FunctionError) {
    process.stderr.write(`${body}\n`);
    return 1;
  }
  process.stdout.write(`${body}\n`);
  return 0;
}
