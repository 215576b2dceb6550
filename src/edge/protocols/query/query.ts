/**
 * The `query` protocol (awsQuery: CloudWatch's older clients, and later SQS's, SNS's, STS's):
 * every request is `POST /` with a form-encoded body (or a GET with the same pairs in the query
 * string) naming the operation in `Action=`; the response is XML:
 *   <OpResponse xmlns="…"><OpResult>…</OpResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>
 * and errors are `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>…`.
 * Input keys and output elements come from the model (query-input.ts, xml-writer.ts).
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../../shared/errors.js';
import { EdgeErrors } from '../../edge-errors.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import { ShapeResolver, type Shape } from '../../../kit/models/shapes.js';
import { OperationValidators } from '../../../kit/validation/operation-validators.js';
import { validationMessage, type InputValidator } from '../../../kit/validation/validate.js';
import { send } from '../json/json-wire.js';
import type { Protocol, ProtocolFactory, ProtocolHead, ProtocolOptions, ProtocolRequest, Routed } from '../protocol.js';
import { queryErrorCodes, type QueryErrorCode } from './query-errors.js';
import { QueryParams, QueryValueError, readQueryInput } from './query-input.js';
import { formExcess, MAX_RPC_BODY_BYTES } from '../wire-limits.js';
import { escapeXml, xmlMembers } from './xml-writer.js';

/** A query-protocol operation, compiled once. */
interface QueryOperation extends Routed {
  readonly input?: Shape;
  readonly output?: Shape;
  /** The element wrapping the output members: `resultWrapper`, else `<Op>Result`. */
  readonly resultWrapper: string;
  readonly validate?: InputValidator;
}

/** Routed: the operation and the request's pairs, parsed once while routing. */
interface QueryRouted extends Routed {
  op: QueryOperation;
  params: QueryParams;
}

const XML_TYPE = 'text/xml';
/** The body of a request routed by its head alone. */
const NO_BODY = Buffer.alloc(0);
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Whether a request is in the query protocol: a form body, or a GET naming an `Action`. */
export function isQueryRequest(head: ProtocolHead): boolean {
  const type = head.headers['content-type'];
  if (typeof type === 'string' && type.toLowerCase().startsWith(FORM_TYPE)) return true;
  return head.method === 'GET' && head.target.queryPairs().some(([k]) => k === 'Action');
}

/** Builds the query protocol for a model. */
export const createQueryProtocol: ProtocolFactory = (model: ServiceModel, options: ProtocolOptions) =>
  new QueryProtocol(model, options);

class QueryProtocol implements Protocol<QueryRouted> {
  private readonly operations = new Map<string, QueryOperation>();
  private readonly xmlns: string;
  private readonly errorCode: QueryErrorCode;

  constructor(
    model: ServiceModel,
    private readonly options: ProtocolOptions,
  ) {
    const shapes = new ShapeResolver(model);
    const validators = new OperationValidators(model, options.handlerEnums);
    const ns = model.metadata.xmlNamespace;
    this.xmlns = typeof ns === 'string' ? ns : ((ns as { uri?: string } | undefined)?.uri ?? '');
    this.errorCode = queryErrorCodes(model);
    for (const [name, raw] of Object.entries<any>(model.operations)) {
      const input = shapes.operationShape(raw.input);
      this.operations.set(name, {
        name,
        input,
        output: shapes.operationShape(raw.output),
        resultWrapper: raw.output?.resultWrapper ?? `${name}Result`,
        validate: validators.forOperation(name, input),
      });
    }
  }

  routeHead(head: ProtocolHead): QueryRouted | undefined {
    // A POST names its Action in the body; a GET in the query string, which is all it reads.
    if (head.method !== 'GET') return undefined;
    try {
      return this.route({ ...head, body: NO_BODY });
    } catch {
      return undefined; // the full route answers it
    }
  }

  route(request: ProtocolRequest): QueryRouted {
    const params = new QueryParams(this.pairs(request));
    const action = params.get('Action');
    const op = action === undefined ? undefined : this.operations.get(action);
    if (!op) {
      throw EdgeErrors.unknownOperation(action === undefined ? 'Missing Action parameter.' : `Unknown action: ${action}`, 400);
    }
    return { name: op.name, op, params };
  }

  readInput({ op, params }: QueryRouted): Record<string, unknown> {
    if (!op.input) return {};
    let input: Record<string, unknown>;
    try {
      input = readQueryInput(op.input, params);
    } catch (err) {
      if (err instanceof QueryValueError) throw EdgeErrors.serialization(this.options.serializationErrorCode, err.message);
      throw err;
    }
    const problems = op.validate?.(input);
    if (problems) {
      // Query values arrive as text: a wrong type was already reported above, so only constraints remain.
      throw EdgeErrors.validation(validationMessage([...problems.type, ...problems.constraint]));
    }
    return input;
  }

  writeOutput(res: ServerResponse, { op }: QueryRouted, output: unknown): void {
    const name = op.name;
    const members = op.output && output && typeof output === 'object' ? xmlMembers(op.output, output as Record<string, unknown>) : '';
    const result = op.output ? `<${op.resultWrapper}>${members}</${op.resultWrapper}>` : '';
    const body =
      `<${name}Response${this.xmlnsAttr()}>${result}` +
      `<ResponseMetadata><RequestId>${escapeXml(requestIdOf(res))}</RequestId></ResponseMetadata></${name}Response>`;
    send(res, 200, { 'Content-Type': XML_TYPE }, body);
  }

  writeError(res: ServerResponse, error: AwsError): void {
    const type = error.fault === 'client' ? 'Sender' : 'Receiver';
    const body =
      `<ErrorResponse${this.xmlnsAttr()}><Error><Type>${type}</Type><Code>${escapeXml(this.errorCode(error.code))}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestIdOf(res))}</RequestId></ErrorResponse>`;
    send(res, error.status, { 'Content-Type': XML_TYPE, ...error.headers }, body);
  }

  private xmlnsAttr(): string {
    return this.xmlns ? ` xmlns="${escapeXml(this.xmlns)}"` : '';
  }

  private pairs(request: ProtocolRequest): Iterable<[string, string]> {
    if (request.method === 'GET') return request.target.queryPairs();
    if (request.body.length > MAX_RPC_BODY_BYTES) throw EdgeErrors.tooLarge(MAX_RPC_BODY_BYTES);
    const excess = formExcess(request.body);
    if (excess) throw EdgeErrors.serialization(this.options.serializationErrorCode, `The request body holds ${excess}.`);
    // URLSearchParams reads `+` as a space, as form encoding means it (SigV4's query parser does not).
    return new URLSearchParams(request.body.toString('utf8'));
  }
}

/** The request id the edge already set on the response (`x-amzn-RequestId`). */
function requestIdOf(res: ServerResponse): string {
  const id = typeof res.getHeader === 'function' ? res.getHeader('x-amzn-RequestId') : undefined;
  return typeof id === 'string' ? id : '';
}
