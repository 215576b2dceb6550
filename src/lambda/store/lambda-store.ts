/**
 * Lambda's slice of the store. Lambda is regional: each scope (account and region) has its own
 * functions, aliases, policies, layers, URL and concurrency configurations (`at(scope)`). The
 * asynchronous queue is one for every scope (each event carries its own), and start-up reads a
 * few things across scopes (`everywhere`) to bring them back.
 */
import type { Scope } from '../../shared/scope.js';
import type { AsyncEventStore, EventInvokeConfigStore } from './async-event-store.js';
import type { FunctionStore } from './function-store.js';
import type { FunctionUrlConfigRecord, FunctionUrlStore } from './function-url-store.js';
import type { LayerStore } from './layer-store.js';
import type { ProvisionedConfigRecord, ProvisionedConfigStore } from './provisioned-config-store.js';

/** One scope's stores. */
export interface ScopedLambdaStore {
  functions: FunctionStore;
  eventInvokeConfigs: EventInvokeConfigStore;
  provisionedConfigs: ProvisionedConfigStore;
  functionUrls: FunctionUrlStore;
  layers: LayerStore;
}

/** What start-up reads of every scope. */
export interface EverywhereLambdaStore {
  /** Every scope's provisioned concurrency configurations, to provision them again. */
  provisionedConfigs(): Promise<Array<ProvisionedConfigRecord & Scope>>;
  /** Every function URL configuration, for the URL route's table. */
  functionUrls(): Promise<FunctionUrlConfigRecord[]>;
  /** Every function's reserved concurrency, for the scopes' limiters. */
  reservations(): Promise<Array<Scope & { functionName: string; reserved: number }>>;
}

export interface LambdaStore {
  /** The stores of one account and region. */
  at(scope: Scope): ScopedLambdaStore;
  asyncEvents: AsyncEventStore;
  everywhere: EverywhereLambdaStore;
}
