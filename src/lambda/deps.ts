/** What the Lambda service's operations are built from (wired at the composition root). */
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/store.js';
import type { Partition } from './arn.js';
import type { CodeStore } from './code/code-store.js';
import type { CodeLocations } from './code-location.js';
import type { Executor } from './executor.js';
import type { FunctionCache } from './function-cache.js';

export interface LambdaDeps {
  store: Store;
  code: CodeStore;
  codeLocations: CodeLocations;
  functions: FunctionCache;
  executor: Executor;
  clock: Clock;
  partition: Partition;
  logger: Logger;
}
