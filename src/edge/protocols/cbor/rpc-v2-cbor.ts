/**
 * The `smithy-rpc-v2-cbor` protocol (CloudWatch's newest, opt-in in SDK v3): every request is
 * `POST {prefix?}/service/<ServiceName>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor`
 * and the whole input as a CBOR map; the output is a CBOR map, and errors are a CBOR map with
 * `__type` and `message`. Query-compatible models (CloudWatch) also send `x-amzn-query-error`.
 * ServiceName is the Smithy service shape's name, which botocore models carry as the awsJson
 * `targetPrefix` (CloudWatch: GraniteServiceVersion20100801); as the spec asks, its absolute form
 * with the namespace (`com.amazonaws.cloudwatch.GraniteServiceVersion20100801`) is accepted too.
 * Another service name is answered like an unknown operation: 404 UnknownOperationException.
 * https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
 */
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../../shared/errors.js';
import { EdgeErrors } from '../../edge-errors.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import { ShapeResolver, type Shape } from '../../../kit/models/shapes.js';
import { OperationValidators } from '../../../kit/validation/operation-validators.js';
import type { InputValidator } from '../../../kit/validation/validate.js';
import { cborInput, cborOutput, decodeCbor, encodeCbor } from './cbor-values.js';
import { problemsError, send } from '../json/json-wire.js';
import type { Protocol, ProtocolFactory, ProtocolHead, ProtocolOptions, ProtocolRequest, Routed } from '../protocol.js';
import { queryErrorCodes, queryErrorHeader, type QueryErrorCode } from '../query/query-errors.js';
import { cborExcess, MAX_RPC_BODY_BYTES } from '../wire-limits.js';

/** An rpc-v2-cbor operation, compiled once. */
interface CborOperation extends Routed {
  readonly input?: Shape;
  readonly output?: Shape;
  readonly validate?: InputValidator;
}

const CBOR_TYPE = 'application/cbor';
/** Only the last four segments route; anything before them is a prefix the spec allows. */
const PATH = /\/service\/([^/]+)\/operation\/([^/]+)$/;
/** A Smithy namespace before the service name: dotted identifiers. */
const NAMESPACE = /^(?:[A-Za-z_][A-Za-z0-9_]*\.)+$/;

/** Whether a request is in the rpc-v2-cbor protocol (the header the spec requires clients to send). */
export function isRpcV2CborRequest(head: ProtocolHead): boolean {
  return head.headers['smithy-protocol'] === 'rpc-v2-cbor';
}

/** Builds the rpc-v2-cbor protocol for a model. */
export const createRpcV2CborProtocol: ProtocolFactory = (model: ServiceModel, options: ProtocolOptions) =>
  new RpcV2CborProtocol(model, options);


/** The body of a request routed by its head alone. */
const NO_BODY = Buffer.alloc(0);
class RpcV2CborProtocol implements Protocol<CborOperation> {
  private readonly operations = new Map<string, CborOperation>();
  private readonly errorCode?: QueryErrorCode;
  private readonly serviceName?: string;

  constructor(
    model: ServiceModel,
    private readonly options: ProtocolOptions,
  ) {
    const shapes = new ShapeResolver(model);
    const validators = new OperationValidators(model, options.handlerEnums);
    if (model.metadata.awsQueryCompatible !== undefined) this.errorCode = queryErrorCodes(model);
    this.serviceName = model.metadata.targetPrefix;
    for (const [name, raw] of Object.entries<any>(model.operations)) {
      const input = shapes.operationShape(raw.input);
      this.operations.set(name, {
        name,
        input,
        output: shapes.operationShape(raw.output),
        validate: validators.forOperation(name, input),
      });
    }
  }

  routeHead(head: ProtocolHead): CborOperation | undefined {
    try {
      return this.route({ ...head, body: NO_BODY });
    } catch {
      return undefined; // the full route answers it
    }
  }

  route(request: ProtocolRequest): CborOperation {
    const { headers } = request;
    if (headers['x-amz-target'] !== undefined || headers['x-amzn-target'] !== undefined) {
      // The spec: servers MUST reject these, so a request cannot mean one operation here and another in awsJson.
      throw EdgeErrors.serialization(this.options.serializationErrorCode, 'An rpc-v2-cbor request must not carry X-Amz-Target or X-Amzn-Target.');
    }
    const match = PATH.exec(request.target.path);
    const service = match ? decodeSegment(match[1]!) : undefined;
    const op = match ? this.operations.get(decodeSegment(match[2]!) ?? '') : undefined;
    if (match && service !== undefined && !this.serves(service)) {
      throw EdgeErrors.unknownOperation(`The service ${service} is not served here (this endpoint serves ${this.serviceName}).`, 404);
    }
    if (!op || service === undefined || request.method !== 'POST') {
      throw EdgeErrors.unknownOperation(`No operation matches ${request.method} ${request.target.path}.`, 404);
    }
    return op;
  }

  /** The service's name, bare or after its namespace; any name when the model does not say it. */
  private serves(name: string): boolean {
    const own = this.serviceName;
    if (own === undefined || name === own) return true;
    return name.endsWith(`.${own}`) && NAMESPACE.test(name.slice(0, -own.length));
  }

  readInput(op: CborOperation, request: ProtocolRequest): Record<string, unknown> {
    if (request.body.length > MAX_RPC_BODY_BYTES) throw EdgeErrors.tooLarge(MAX_RPC_BODY_BYTES);
    const code = this.options.serializationErrorCode;
    let decoded: unknown = {};
    if (request.body.length > 0) {
      const excess = cborExcess(request.body);
      if (excess) throw EdgeErrors.serialization(code, `Could not parse request body as CBOR: the body holds ${excess}.`);
      try {
        decoded = decodeCbor(request.body);
      } catch (err) {
        throw EdgeErrors.serialization(code, `Could not parse request body as CBOR: ${(err as Error).message}`);
      }
    }
    if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded) || decoded instanceof Uint8Array) {
      throw EdgeErrors.serialization(code, 'Could not parse request body as CBOR: expected a map');
    }
    const input = (op.input ? cborInput(op.input, decoded) : decoded) as Record<string, unknown>;
    const problems = op.validate?.(input);
    if (problems) throw problemsError(problems, code, 'Could not parse request body as CBOR');
    return input;
  }

  writeOutput(res: ServerResponse, op: CborOperation, output: unknown): void {
    const value = op.output ? (cborOutput(op.output, output ?? {}) ?? {}) : {};
    send(res, 200, { 'Content-Type': CBOR_TYPE, 'smithy-protocol': 'rpc-v2-cbor' }, Buffer.from(encodeCbor(value)));
  }

  writeError(res: ServerResponse, error: AwsError): void {
    const headers: Record<string, string> = { 'Content-Type': CBOR_TYPE, 'smithy-protocol': 'rpc-v2-cbor', ...error.headers };
    if (this.errorCode) headers['x-amzn-query-error'] = queryErrorHeader(error, this.errorCode);
    const fields = { ...error.fields };
    delete fields.Type;
    const body = encodeCbor({ __type: error.code, message: error.message, ...fields });
    send(res, error.status, headers, Buffer.from(body));
  }
}

/** A percent-decoded path segment; undefined when it is not valid percent-encoding. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
