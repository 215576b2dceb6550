/**
 * The `json` protocol (awsJson1.0 / awsJson1.1: CloudWatch Logs, DynamoDB, Kinesis, SQS, ...):
 * every request is `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and the whole input
 * as a JSON body; the output is a JSON body.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../../shared/errors.js';
import { EdgeErrors } from '../../edge-errors.js';
import { JsonCodec, type Converter } from '../../json-codec.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import { ShapeResolver } from '../../../kit/models/shapes.js';
import { OperationValidators } from '../../../kit/validation/operation-validators.js';
import type { InputValidator } from '../../../kit/validation/validate.js';
import { parseJsonBody, problemsError, send, writeJsonError } from './json-wire.js';
import { MAX_RPC_BODY_BYTES } from '../wire-limits.js';
import type { Protocol, ProtocolFactory, ProtocolHead, ProtocolOptions, ProtocolRequest, Routed } from '../protocol.js';
import { queryErrorCodes, queryErrorHeader, type QueryErrorCode } from '../query/query-errors.js';

/** A json-protocol operation, compiled once. */
export interface JsonOperation extends Routed {
  readonly reader: Converter;
  readonly writer: Converter;
  readonly validate?: InputValidator;
  readonly hasOutput: boolean;
}

/** Builds the json protocol for a model. */
export const createJsonProtocol: ProtocolFactory = (model: ServiceModel, options: ProtocolOptions) =>
  new JsonProtocol(model, options);


/** The body of a request routed by its head alone. */
const NO_BODY = Buffer.alloc(0);
class JsonProtocol implements Protocol<JsonOperation> {
  private readonly byTarget = new Map<string, JsonOperation>();
  private readonly contentType: string;
  /** Set for services that moved from the query protocol (SQS, CloudWatch): they also report the old code. */
  private readonly queryErrorCode?: QueryErrorCode;

  constructor(
    model: ServiceModel,
    private readonly options: ProtocolOptions,
  ) {
    const shapes = new ShapeResolver(model);
    const codec = new JsonCodec('unixTimestamp');
    const validators = new OperationValidators(model, options.handlerEnums);
    this.contentType = `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
    if (model.metadata.awsQueryCompatible !== undefined) this.queryErrorCode = queryErrorCodes(model);
    const prefix = model.metadata.targetPrefix;
    if (!prefix) throw new Error(`model ${model.metadata.endpointPrefix}: json protocol without targetPrefix`);
    for (const [name, raw] of Object.entries<any>(model.operations)) {
      const input = shapes.operationShape(raw.input);
      const output = shapes.operationShape(raw.output);
      this.byTarget.set(`${prefix}.${name}`, {
        name,
        reader: input ? codec.reader(input) : null,
        writer: output ? codec.writer(output) : null,
        validate: validators.forOperation(name, input),
        hasOutput: output !== undefined,
      });
    }
  }

  routeHead(head: ProtocolHead): JsonOperation | undefined {
    try {
      return this.route({ ...head, body: NO_BODY });
    } catch {
      return undefined; // the full route answers it
    }
  }

  route(request: ProtocolRequest): JsonOperation {
    const target = request.headers['x-amz-target'];
    const op = typeof target === 'string' ? this.byTarget.get(target) : undefined;
    if (!op || request.method !== 'POST') {
      throw EdgeErrors.unknownOperation(
        typeof target === 'string' ? `Unknown operation: ${target}` : 'Missing X-Amz-Target header.',
        400,
      );
    }
    return op;
  }

  readInput(op: JsonOperation, request: ProtocolRequest): Record<string, unknown> {
    if (request.body.length > MAX_RPC_BODY_BYTES) throw EdgeErrors.tooLarge(MAX_RPC_BODY_BYTES);
    const code = this.options.serializationErrorCode;
    const parsed = parseJsonBody(request.body, code);
    const input = op.reader ? op.reader(parsed) : parsed;
    const problems = op.validate?.(input);
    if (problems) throw problemsError(problems, code);
    return input;
  }

  writeOutput(res: ServerResponse, op: JsonOperation, output: unknown): void {
    const value = output ?? {};
    const body = JSON.stringify(op.writer ? op.writer(value) : value);
    send(res, 200, { 'Content-Type': this.contentType }, body);
  }

  writeError(res: ServerResponse, error: AwsError): void {
    const extra = this.queryErrorCode ? { 'x-amzn-query-error': queryErrorHeader(error, this.queryErrorCode) } : undefined;
    writeJsonError(res, error, this.contentType, 'json', extra);
  }
}
