/** An OperationContext for calling a handler directly in a unit test, as the edge would build it. */
import { rootCaller, type OperationContext } from '../../src/kit/operation-context.js';
import type { Scope } from '../../src/shared/scope.js';
import { TEST_SCOPE } from './slices.js';

export function testContext(scope: Scope = TEST_SCOPE, overrides: Partial<OperationContext> = {}): OperationContext {
  return {
    requestId: '00000000-0000-4000-8000-000000000000',
    region: scope.region,
    accountId: scope.accountId,
    caller: rootCaller(scope.accountId),
    via: 'http',
    baseUrl: 'http://localhost:4566',
    responseHeaders: {},
    signal: new AbortController().signal,
    responded: Promise.resolve(),
    ...overrides,
  };
}
