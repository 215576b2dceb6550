/**
 * What other services may call of Lambda in-process (kit/service-calls.ts), typed: Invoke, for
 * alarm actions, notifications, event source mappings and destinations. Members are the
 * model's, as SDK users know them.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { operationRef } from '../kit/service-calls.js';

export interface InvokeInput {
  /** A name, a partial ARN or an ARN, optionally qualified. */
  FunctionName: string;
  Qualifier?: string;
  InvocationType?: 'Event' | 'RequestResponse' | 'DryRun';
  LogType?: 'None' | 'Tail';
  /** Base64 of a JSON object. */
  ClientContext?: string;
  Payload?: Buffer;
}

export interface InvokeOutput {
  StatusCode: number;
  FunctionError?: string;
  LogResult?: string;
  Payload?: Buffer;
  ExecutedVersion?: string;
}

export const LambdaApi = {
  Invoke: operationRef<InvokeInput, InvokeOutput>('lambda', 'Invoke'),
} as const;
