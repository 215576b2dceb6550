/**
 * Asynchronous invocation settings per function, version or alias:
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s). The dispatcher reads them for every
 * event (retries, maximum age, destinations).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import { LambdaErrors } from '../lambda-errors.js';
import type { EventInvokeConfigRecord } from '../store/async-event-store.js';
import { functionArn } from '../arn.js';
import { lambdaDestination } from './async-invocation.js';
import { checkTargetArn } from './target-arn.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from '../functions/function-access.js';
import { pageAfter } from '../functions/list-marker.js';
import { resolveQualifier } from '../versions/qualifier.js';

const MAX_LIST_ITEMS = 50;

/** Where asynchronous invocation records may go. */
const DESTINATION_SERVICES = ['lambda', 'sqs', 'sns', 'events'] as const;

export function eventInvokeConfigOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  const { scope, store } = deps;

  /** The function and qualifier a request names; both must exist. */
  async function target(functionName: string, qualifierParam: string | undefined): Promise<{ name: string; qualifier: string }> {
    const t = access.target(functionName, qualifierParam);
    const state = await access.state(t.name, t.qualifier);
    resolveQualifier(state, t.qualifier, scope);
    return { name: t.name, qualifier: t.qualifier ?? '$LATEST' };
  }

  function checkDestination(arn: string | undefined): void {
    if (arn === undefined) return;
    const target = checkTargetArn(arn, scope, DESTINATION_SERVICES, 'destination');
    if (target.service === 'lambda') {
      if (lambdaDestination(deps, arn)) return;
      throw LambdaErrors.invalidParameter(`The destination ARN ${arn} names a function of another account; Nimbus serves one account until IAM adds more.`);
    }
    throw LambdaErrors.invalidParameter(
      `The destination ARN ${arn} is valid, but Nimbus delivers to Lambda function destinations only until that service exists.`,
    );
  }

  const shape = (c: EventInvokeConfigRecord) => ({
    LastModified: new Date(c.lastModified),
    FunctionArn: functionArn(scope, c.functionName, c.qualifier),
    ...(c.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.maximumRetryAttempts } : {}),
    ...(c.maximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds } : {}),
    DestinationConfig: {
      OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
      OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
    },
  });

  /** Put replaces the whole configuration; Update changes only what it names. */
  async function write(input: Record<string, any>, merge: boolean): Promise<EventInvokeConfigRecord> {
    const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
    const onSuccess: string | undefined = input.DestinationConfig?.OnSuccess?.Destination;
    const onFailure: string | undefined = input.DestinationConfig?.OnFailure?.Destination;
    checkDestination(onSuccess);
    checkDestination(onFailure);
    return access.exclusive(name, async () => {
      const previous = await store.eventInvokeConfigs.get(name, qualifier);
      if (merge && !previous) {
        throw LambdaErrors.notFound(`The function ${functionArn(scope, name, qualifier)} doesn't have an EventInvokeConfig`);
      }
      const base: Partial<EventInvokeConfigRecord> = merge ? previous! : {};
      const next: EventInvokeConfigRecord = {
        functionName: name,
        qualifier,
        lastModified: deps.clock.now(),
        ...pick('maximumRetryAttempts', input.MaximumRetryAttempts, base.maximumRetryAttempts),
        ...pick('maximumEventAgeInSeconds', input.MaximumEventAgeInSeconds, base.maximumEventAgeInSeconds),
        ...pick('onSuccess', input.DestinationConfig ? onSuccess : undefined, input.DestinationConfig ? undefined : base.onSuccess),
        ...pick('onFailure', input.DestinationConfig ? onFailure : undefined, input.DestinationConfig ? undefined : base.onFailure),
      };
      await store.eventInvokeConfigs.put(next);
      return next;
    });
  }

  return {
    async PutFunctionEventInvokeConfig(input) {
      return shape(await write(input, false));
    },

    async UpdateFunctionEventInvokeConfig(input) {
      return shape(await write(input, true));
    },

    async GetFunctionEventInvokeConfig(input) {
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      const config = await store.eventInvokeConfigs.get(name, qualifier);
      if (!config) throw LambdaErrors.notFound(`The function ${functionArn(scope, name, qualifier)} doesn't have an EventInvokeConfig`);
      return shape(config);
    },

    async DeleteFunctionEventInvokeConfig(input) {
      const { name, qualifier } = await target(input.FunctionName, input.Qualifier);
      if (!(await store.eventInvokeConfigs.delete(name, qualifier))) {
        throw LambdaErrors.notFound(`The function ${functionArn(scope, name, qualifier)} doesn't have an EventInvokeConfig`);
      }
      return {};
    },

    async ListFunctionEventInvokeConfigs(input) {
      const name = access.unqualified(input.FunctionName);
      await access.state(name);
      const all = await store.eventInvokeConfigs.list(name);
      const limit = Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      const { page, nextMarker } = pageAfter(all, (c) => c.qualifier, input.Marker, limit);
      return {
        FunctionEventInvokeConfigs: page.map(shape),
        ...(nextMarker ? { NextMarker: nextMarker } : {}),
      };
    },
  };
}

/** `{ key: value }` for the first defined of `given`, `fallback`; `{}` when neither is. */
function pick<K extends string, V>(key: K, given: V | undefined, fallback: V | undefined): Partial<Record<K, V>> {
  const value = given !== undefined ? given : fallback;
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, V>>);
}
