/**
 * The wire protocols the edge speaks, one entry per AWS protocol name as models spell it in
 * `metadata.protocol`/`metadata.protocols`.
 *
 * How to add one (e.g. `query` for SNS/STS/CloudWatch, `rest-xml` for S3):
 *   1. Write `protocols/<name>.ts` exporting a `ProtocolFactory` (see protocol.ts). Reuse
 *      ShapeResolver (shapes.ts), ValidatorCompiler (validate.ts), readText/writeHeaderText
 *      (scalar-text.ts), UriRouter (uri-template.ts) and the timestamp helpers; only the body
 *      encoding (form-encoded / XML) and the error shape are new.
 *   2. Add it to PROTOCOLS below.
 *   3. Test it beside the code against the real model, and with the real SDK through createEdge.
 * Services then plug in as a ServiceDefinition with no parsing code of their own.
 */
import type { ServiceModel } from '../service.js';
import { createJsonProtocol } from './json.js';
import type { Protocol, ProtocolFactory, ProtocolOptions } from './protocol.js';
import { createRestJsonProtocol } from './rest-json.js';

/** Implemented protocols by model protocol name. `query` and `rest-xml` are not written yet. */
export const PROTOCOLS: Readonly<Record<string, ProtocolFactory>> = {
  'rest-json': createRestJsonProtocol,
  json: createJsonProtocol,
};

/**
 * The protocol for a model: `metadata.protocol`, else the first implemented one of
 * `metadata.protocols` (newer models list several, e.g. CloudWatch: cbor, json, query).
 */
export function createProtocol(model: ServiceModel, options: ProtocolOptions): Protocol {
  const listed = Array.isArray(model.metadata.protocols) ? (model.metadata.protocols as string[]) : [];
  const name = [model.metadata.protocol, ...listed].find((p) => p in PROTOCOLS);
  if (!name) {
    throw new Error(
      `service ${model.metadata.endpointPrefix}: protocol ${model.metadata.protocol} is not implemented ` +
        `(implemented: ${Object.keys(PROTOCOLS).join(', ')}; see src/edge/protocols/index.ts)`,
    );
  }
  return PROTOCOLS[name]!(model, options);
}
