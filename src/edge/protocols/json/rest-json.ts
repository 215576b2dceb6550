/**
 * The `rest-json` protocol (Lambda, and later API-Gateway-style services): the operation is found
 * by method and `http.requestUri`; input members come from URI labels, query parameters and
 * headers as their `location` says, the `payload` member is the whole body, and the rest is a JSON
 * body. Output members go back the same way (`header`, `statusCode`, `payload`, JSON body).
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeEventStream } from '../event-stream-writer.js';
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../../shared/errors.js';
import { EdgeErrors } from '../../edge-errors.js';
import { INVALID, readText, writeHeaderText } from '../../scalar-text.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import { lowerFirst, type Member } from '../../../kit/models/shapes.js';
import { UriRouter } from '../../uri-template.js';
import { parseJsonBody, problemsError, send, writeJsonError } from './json-wire.js';
import type { Protocol, ProtocolFactory, ProtocolHead, ProtocolOptions, ProtocolRequest, Routed } from '../protocol.js';
import { compileRestJsonOperations, type InputPlan, type RestJsonOperation } from './rest-json-plan.js';

/** A matched operation with its decoded URI labels. */
interface RestJsonRouted extends Routed {
  op: RestJsonOperation;
  labels: Record<string, string>;
}

const JSON_TYPE = 'application/json';

/** Builds the rest-json protocol for a model. */
export const createRestJsonProtocol: ProtocolFactory = (model: ServiceModel, options: ProtocolOptions) =>
  new RestJsonProtocol(model, options);

/** The body of a request routed by its head alone. */
const NO_BODY = Buffer.alloc(0);

class RestJsonProtocol implements Protocol<RestJsonRouted> {
  private readonly router: UriRouter<RestJsonOperation>;

  constructor(
    model: ServiceModel,
    private readonly options: ProtocolOptions,
  ) {
    const ops = compileRestJsonOperations(model, options.handlerEnums);
    this.router = new UriRouter(ops.map((op) => ({ method: op.method, requestUri: op.requestUri, value: op })));
  }

  routeHead(head: ProtocolHead): RestJsonRouted | undefined {
    try {
      return this.route({ ...head, body: NO_BODY });
    } catch {
      return undefined; // the full route answers it
    }
  }

  route(request: ProtocolRequest): RestJsonRouted {
    const pairs = request.target.queryPairs();
    let match;
    try {
      match = this.router.match(request.method, request.target.path, pairs);
    } catch {
      throw EdgeErrors.serialization(this.options.serializationErrorCode, 'The request URI is not valid percent-encoding.');
    }
    if (!match) {
      throw EdgeErrors.unknownOperation(`No operation matches ${request.method} ${request.target.path}.`);
    }
    return { name: match.value.name, op: match.value, labels: match.labels };
  }

  readInput({ op, labels }: RestJsonRouted, request: ProtocolRequest): Record<string, unknown> {
    const plan = op.input;
    const code = this.options.serializationErrorCode;
    let input: Record<string, unknown>;
    const { body } = request;
    if (plan.payload) {
      input = {};
      const { member, kind, convert } = plan.payload;
      if (body.length > 0) {
        if (kind === 'blob') input[member.name] = body;
        else if (kind === 'string') input[member.name] = body.toString('utf8');
        else if (kind === 'json') {
          const parsed = parseJsonBody(body, code);
          input[member.name] = convert ? convert(parsed) : parsed;
        }
      }
    } else if (plan.body && body.length > 0) {
      const parsed = parseJsonBody(body, code);
      input = plan.body.reader ? plan.body.reader(parsed) : parsed;
      // Bound members come from the URI and headers only, never from the body.
      for (const name of plan.locationMembers) if (Object.hasOwn(input, name)) delete input[name];
    } else input = {};

    for (const { member, label } of plan.labels) {
      const text = labels[label];
      if (text !== undefined) input[member.name] = this.text(member, text, 'URI label');
    }
    if (plan.query.length > 0 || plan.queryMap) this.readQuery(plan, request, input);
    for (const { member, header } of plan.headers) {
      const value = request.headers[header];
      if (value === undefined) continue;
      input[member.name] = this.text(member, Array.isArray(value) ? value.join(', ') : value, 'header');
    }
    for (const { member, prefix } of plan.headerMaps) {
      const map: Record<string, string> = {};
      let any = false;
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || !name.startsWith(prefix)) continue;
        const key = name.slice(prefix.length);
        // `__proto__` would set the map's prototype instead of a key.
        if (key === '__proto__') continue;
        map[key] = Array.isArray(value) ? value.join(', ') : value;
        any = true;
      }
      if (any) input[member.name] = map;
    }
    const problems = op.validate?.(input);
    if (problems) throw problemsError(problems, code);
    // A streamed payload is checked as it is read (its cap, its hash), not here.
    if (request.stream && plan.payload?.kind === 'blob') input[plan.payload.member.name] = request.stream;
    return input;
  }

  writeOutput(res: ServerResponse, { op }: RestJsonRouted, output: unknown): void | Promise<void> {
    const plan = op.output;
    const out = (output ?? {}) as Record<string, unknown>;
    const headers: Record<string, string> = {};
    for (const { member, header } of plan.headers) {
      const text = writeHeaderText(member, out[member.name]);
      if (text !== undefined) headers[header] = text;
    }
    for (const { member, prefix } of plan.headerMaps) {
      const map = out[member.name];
      if (map && typeof map === 'object') {
        for (const [k, v] of Object.entries(map)) if (v != null) headers[prefix + k] = String(v);
      }
    }
    let status = op.responseCode;
    if (plan.statusCode && typeof out[plan.statusCode] === 'number') status = out[plan.statusCode] as number;

    let body: Buffer | string = '';
    if (plan.payload) {
      const { member, kind, convert } = plan.payload;
      const value = out[member.name];
      // An answer without its stream (InvokeWithResponseStream's DryRun 204) is serialized as usual.
      if (kind === 'eventstream' && value !== undefined && value !== null) {
        return writeEventStream(res, status, headers, member.shape, value as AsyncIterable<Record<string, unknown>>);
      }
      if (kind === 'blob' && isReadable(value)) {
        headers['Content-Type'] ??= this.options.payloadContentType;
        res.writeHead(status, headers);
        return pipeline(value, res);
      }
      if (kind === 'json') {
        if (value !== undefined && value !== null) {
          body = JSON.stringify(convert ? convert(value) : value);
          headers['Content-Type'] ??= JSON_TYPE;
        }
      } else if (value !== undefined && value !== null) {
        body = toBuffer(value);
        headers['Content-Type'] ??= kind === 'string' ? 'text/plain' : this.options.payloadContentType;
      }
    } else if (plan.hasShape && status !== 204 && status !== 304) {
      const { writer, locationMembers } = plan.body;
      let fields = out;
      if (locationMembers.size > 0) {
        fields = {};
        for (const key of Object.keys(out)) if (!locationMembers.has(key)) fields[key] = out[key];
      }
      body = JSON.stringify(writer ? writer(fields) : fields);
      headers['Content-Type'] = JSON_TYPE;
    }
    send(res, status, headers, body);
  }

  writeError(res: ServerResponse, error: AwsError): void {
    writeJsonError(res, error, JSON_TYPE, 'rest-json');
  }

  private readQuery(plan: InputPlan, request: ProtocolRequest, input: Record<string, unknown>): void {
    const pairs = request.target.queryPairs();
    for (const { member, key } of plan.query) {
      if (member.shape.type === 'list') {
        const item = member.shape.member!;
        const values = pairs.filter(([k]) => k === key).map(([, v]) => this.text(item, v, 'query parameter'));
        if (values.length > 0) input[member.name] = values;
      } else {
        const pair = pairs.find(([k]) => k === key);
        if (pair) input[member.name] = this.text(member, pair[1], 'query parameter');
      }
    }
    if (plan.queryMap) {
      // A map-typed querystring member collects every parameter no other member claims.
      const valueShape = plan.queryMap.shape.value!.shape;
      const map: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of pairs) {
        if (plan.queryKeys.has(k) || k === '__proto__') continue;
        any = true;
        // Own keys only: a parameter named `constructor` is a key like any other.
        const seen = Object.hasOwn(map, k);
        if (valueShape.type !== 'list') {
          if (!seen) map[k] = v;
        } else if (seen) (map[k] as string[]).push(v);
        else map[k] = [v];
      }
      if (any) input[plan.queryMap.name] = map;
    }
  }

  private text(member: Member, text: string, where: string): unknown {
    const value = readText(member, text);
    if (value === INVALID) {
      throw EdgeErrors.serialization(
        this.options.serializationErrorCode,
        `Invalid value '${text}' for ${where} '${lowerFirst(member.name)}': expected ${member.shape.type}.`,
      );
    }
    return value;
  }

}

/** A payload the handler hands over as a stream (a large object's body) rather than bytes. */
function isReadable(value: unknown): value is Readable {
  return value instanceof Readable;
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(String(value));
}
