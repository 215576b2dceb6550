/**
 * A service as the server composes it: one record in the SERVICES table (server/services.ts),
 * in the manner of Miniflare's PLUGINS. The record names the service, declares its settings,
 * and builds the running service from what the platform offers: its APIs (models + handlers),
 * background workers, raw HTTP routes, and what it lends the services after it in the table.
 * The composition root only walks the table; adding a service is a folder and one line there.
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StoreSlice } from '../store/store-slice.js';
import type { Authorizer } from './authorization.js';
import type { OptionSpecs } from './options.js';
import type { RawRoute } from './http/raw-route.js';
import type { RequestVerifier } from './http/request-signature.js';
import type { ServiceCalls } from './service-calls.js';
import type { ServiceDefinition } from './service-definition.js';
import type { Worker } from './worker.js';

/** A typed handle on what a service lends the others (`platform.use(LOGS)`). */
export interface ServiceRef<T> {
  readonly service: string;
  /** Never set: carries the type of the service's exports. */
  readonly exports?: T;
}

/** Declares a service's exports type under its table name. */
export function serviceRef<T>(service: string): ServiceRef<T> {
  return { service };
}

/** Nimbus's own address, as functions and callers reach it. */
export interface Endpoint {
  /** `http://127.0.0.1:PORT`; known once the server listens (call it no earlier than `ready`). */
  url(): string;
  /** A directory only this server can enter, for sockets; gone with the server. */
  runDir: string;
  /** A unix socket on which the API is also served (sandboxes reach it through their relay). */
  apiSocket: string;
  /** The API's TCP port once listening; undefined before. */
  port(): number | undefined;
}

/** What the platform gives every service. */
export interface Platform {
  dataDir: string;
  /** The server's region and account: for requests and ARNs that name none (`--region`, `--account-id`). */
  defaults: { region: string; accountId: string };
  clock: Clock;
  logger: Logger;
  /** The registry behind `GET /metrics`. */
  metrics: Registry;
  /** SigV4 for raw routes that authenticate for themselves (function URLs with AWS_IAM). */
  verifier: RequestVerifier;
  /** The one authorization stage (kit/authorization.ts), for raw routes that authenticate for themselves. */
  authorize: Authorizer;
  /** Other services' operations, called in-process (kit/service-calls.ts); usable once every service is built. */
  calls: ServiceCalls;
  /** The root access key: functions' credentials until roles exist, and a secret for signed URLs. */
  rootCredentials: { accessKeyId: string; secretAccessKey: string };
  /** This node's id (server/node-identity.ts). */
  nodeId: string;
  endpoint: Endpoint;
  /** What a service earlier in the table exports; throws when it is not there. */
  use<T>(ref: ServiceRef<T>): T;
}

/** A running service. */
export interface ServiceInstance {
  /** The APIs it answers, one per model (most services have one). */
  apis: ServiceDefinition[];
  workers?: Worker[];
  /** Unsigned HTTP routes, tried before the APIs in table order. */
  rawRoutes?: RawRoute[];
  /** What it lends the services after it (typed by its ServiceRef). */
  exports?: unknown;
  /** What `/_nimbus/health` says of it. */
  health?(): Record<string, unknown>;
  /** The server listens (its URL is known); called before workers start. */
  ready?(): Promise<void>;
  /** Shutdown, first step: stop taking new work and finish what runs (workers have stopped). */
  drain?(): Promise<void>;
  /** Shutdown, last step: write out what is buffered and free what is held; the store closes after. */
  close?(): Promise<void>;
}

/** One record of the SERVICES table. */
export interface ServicePlugin<O = Record<string, never>, S = undefined> {
  /** The table name other services `use` it by, e.g. `lambda`, `logs`. */
  name: string;
  /** Its settings: `nimbus server` flags and NIMBUS_* variables (kit/options.ts). */
  options: OptionSpecs<O>;
  /** Its part of the store: tables, migrations, implementation (store/store-slice.ts). */
  store?: StoreSlice<S>;
  /** Builds the running service; `store` is its slice, opened and migrated. */
  create(platform: Platform, options: O, store: S): ServiceInstance | Promise<ServiceInstance>;
}

/** A plugin record whatever its options (the table's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServicePlugin = ServicePlugin<any, any>;
