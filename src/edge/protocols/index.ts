/**
 * The wire protocols the edge speaks, one entry per AWS protocol name as models spell it in
 * `metadata.protocol`/`metadata.protocols`.
 *
 * How to add one (e.g. `rest-xml` for S3):
 *   1. Write `protocols/<name>/` exporting a `ProtocolFactory` (see protocol.ts) and a test
 *      telling its requests apart (`matches`). Reuse ShapeResolver (kit/models/shapes.ts),
 *      OperationValidators (kit/validation/operation-validators.ts), readText/writeHeaderText
 *      (scalar-text.ts), UriRouter (uri-template.ts), the timestamp helpers, and for XML
 *      `query/xml-writer.ts`; only the body encoding and the error shape are new.
 *   2. Add it to PROTOCOLS below.
 *   3. Test it beside the code against the real model, and with the real SDK through createEdge.
 * Services then plug in as a ServiceDefinition with no parsing code of their own.
 */
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../shared/errors.js';
import type { ServiceModel } from '../../kit/service-definition.js';
import { createJsonProtocol } from './json/json.js';
import type { Protocol, ProtocolFactory, ProtocolHead, ProtocolOptions, ProtocolRequest, Routed } from './protocol.js';
import { createQueryProtocol, isQueryRequest } from './query/query.js';
import { createRestJsonProtocol } from './json/rest-json.js';
import { createRpcV2CborProtocol, isRpcV2CborRequest } from './cbor/rpc-v2-cbor.js';

/** A protocol: how to build it for a model, and how to recognize its requests among others. */
export interface ProtocolEntry {
  create: ProtocolFactory;
  /** Whether a request is in this protocol; asked only for models that list several. */
  matches(head: ProtocolHead): boolean;
}

/** Implemented protocols by model protocol name. `rest-xml` is not written yet. */
export const PROTOCOLS: Readonly<Record<string, ProtocolEntry>> = {
  'rest-json': { create: createRestJsonProtocol, matches: () => true },
  json: { create: createJsonProtocol, matches: (head) => typeof head.headers['x-amz-target'] === 'string' },
  query: { create: createQueryProtocol, matches: isQueryRequest },
  'smithy-rpc-v2-cbor': { create: createRpcV2CborProtocol, matches: isRpcV2CborRequest },
};

/**
 * The protocol for a model. Newer models list several (`metadata.protocols`, CloudWatch:
 * rpc-v2-cbor, json, query) and different clients send different ones (SDK v3 today: json; the
 * aws CLI 2.9: query), so each implemented one is built and every request is answered in the one
 * it was sent in.
 */
export function createProtocol(model: ServiceModel, options: ProtocolOptions): Protocol {
  const listed = Array.isArray(model.metadata.protocols) ? (model.metadata.protocols as string[]) : [];
  const names = [...new Set([model.metadata.protocol, ...listed])].filter((p) => p in PROTOCOLS);
  if (names.length === 0) {
    throw new Error(
      `service ${model.metadata.endpointPrefix}: protocol ${model.metadata.protocol} is not implemented ` +
        `(implemented: ${Object.keys(PROTOCOLS).join(', ')}; see src/edge/protocols/index.ts)`,
    );
  }
  if (names.length === 1) return PROTOCOLS[names[0]!]!.create(model, options);
  return new NegotiatedProtocol(names.map((name) => ({ entry: PROTOCOLS[name]!, protocol: PROTOCOLS[name]!.create(model, options) })));
}

interface Candidate {
  entry: ProtocolEntry;
  protocol: Protocol;
}

/** A request routed by one of several protocols; later steps go back to the same one. */
interface NegotiatedRouted extends Routed {
  protocol: Protocol;
  inner: Routed;
}

/** Several protocols behind one: the first whose `matches` accepts the request, else the model's preferred one. */
class NegotiatedProtocol implements Protocol<NegotiatedRouted> {
  constructor(private readonly candidates: Candidate[]) {}

  route(request: ProtocolRequest): NegotiatedRouted {
    const protocol = this.pick(request);
    const inner = protocol.route(request);
    return { name: inner.name, protocol, inner };
  }

  routeHead(head: ProtocolHead): NegotiatedRouted | undefined {
    const protocol = this.pick(head);
    const inner = protocol.routeHead(head);
    return inner ? { name: inner.name, protocol, inner } : undefined;
  }

  readInput(routed: NegotiatedRouted, request: ProtocolRequest): Record<string, unknown> {
    return routed.protocol.readInput(routed.inner, request);
  }

  writeOutput(res: ServerResponse, routed: NegotiatedRouted, output: unknown): void | Promise<void> {
    return routed.protocol.writeOutput(res, routed.inner, output);
  }

  writeError(res: ServerResponse, error: AwsError, head?: ProtocolHead): void {
    (head ? this.pick(head) : this.candidates[0]!.protocol).writeError(res, error, head);
  }

  private pick(head: ProtocolHead): Protocol {
    return (this.candidates.find((c) => c.entry.matches(head)) ?? this.candidates[0]!).protocol;
  }
}
