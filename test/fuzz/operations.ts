/**
 * The fuzzed services as their models describe them: each operation's input shape and HTTP
 * binding, the protocols a request may be sent in, and whether the operation only reads (only
 * those may be sent inputs that could be valid; every other request carries a mutation the model
 * refuses, so that no state changes). Which operations have handlers is learnt from the server
 * itself (discovery in fuzz.test.ts): the edge answers an operation without one 501
 * NotImplementedException before it reads the input.
 */
import { loadModel } from '../../src/kit/models/models.js';
import type { ServiceModel } from '../../src/kit/service-definition.js';
import { ShapeResolver, type Shape } from '../../src/kit/models/shapes.js';

/** The wire protocols a fuzzed request is written in. */
export type WireProtocol = 'rest-json' | 'json' | 'query' | 'rpc-v2-cbor';

/** A service under fuzz. */
export interface FuzzService {
  name: string;
  /** SigV4 credential-scope service. */
  signingName: string;
  model: ServiceModel;
  shapes: ShapeResolver;
  protocols: WireProtocol[];
}

/** An operation under fuzz. */
export interface FuzzOperation {
  service: FuzzService;
  name: string;
  input?: Shape;
  http: { method: string; requestUri: string };
  readOnly: boolean;
}

const READ_ONLY = /^(Get|List|Describe|Filter|Test)/;

function service(name: string, signingName: string, protocols: WireProtocol[]): FuzzService {
  const model = loadModel(name);
  return { name, signingName, model, shapes: new ShapeResolver(model), protocols };
}

/** Lambda, CloudWatch Logs and CloudWatch, in every protocol they are served in. */
export const SERVICES: FuzzService[] = [
  service('lambda', 'lambda', ['rest-json']),
  service('logs', 'logs', ['json']),
  service('cloudwatch', 'monitoring', ['json', 'query', 'rpc-v2-cbor']),
];

/** Every operation of a service's model. */
export function operationsOf(s: FuzzService): FuzzOperation[] {
  return Object.entries<any>(s.model.operations).map(([name, raw]) => ({
    service: s,
    name,
    input: s.shapes.operationShape(raw.input),
    http: { method: (raw.http?.method ?? 'POST').toUpperCase(), requestUri: raw.http?.requestUri ?? '/' },
    readOnly: READ_ONLY.test(name),
  }));
}
