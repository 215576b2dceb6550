/**
 * Reserved concurrency: PutFunctionConcurrency / GetFunctionConcurrency /
 * DeleteFunctionConcurrency. The reservation lives on the function's `$LATEST` record (it
 * applies to every version and alias) and in the ConcurrencyLimiter the invoke path reads.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
import type { OperationHandler } from '../../kit/service-definition.js';
import type { LambdaDeps } from '../deps.js';
import type { FunctionAccess } from '../functions/function-access.js';

export function concurrencyOperations(deps: LambdaDeps, access: FunctionAccess): Record<string, OperationHandler> {
  /** Writes the reservation (or its absence) on `$LATEST`; the RevisionId stays, like tags. */
  async function write(functionName: string, reserved: number | undefined): Promise<void> {
    const name = access.unqualified(functionName);
    await access.exclusive(name, async () => {
      const current = (await access.state(name)).latest.record;
      if (reserved !== undefined) deps.concurrency.checkReserved(name, reserved);
      const { reservedConcurrency: _previous, ...rest } = current;
      await access.replaceLatest(reserved === undefined ? rest : { ...rest, reservedConcurrency: reserved }, current);
      deps.concurrency.setReserved(name, reserved);
    });
  }

  return {
    async PutFunctionConcurrency(input) {
      await write(input.FunctionName, input.ReservedConcurrentExecutions);
      return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
    },

    async GetFunctionConcurrency(input) {
      const name = access.unqualified(input.FunctionName);
      const reserved = (await access.state(name)).latest.record.reservedConcurrency;
      return reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved };
    },

    async DeleteFunctionConcurrency(input) {
      await write(input.FunctionName, undefined);
      return {};
    },
  };
}
