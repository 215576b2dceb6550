/**
 * The rest-json protocol's per-operation plans, compiled once from the model: which input member
 * comes from which label, query key or header, which output member becomes which header, and
 * the JSON converters and validator. The request path (rest-json.ts) only follows them.
 */
import { JsonCodec, type Converter } from '../../json-codec.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import { ShapeResolver, type Member, type Shape } from '../../../kit/models/shapes.js';
import { OperationValidators, type HandlerEnums } from '../../../kit/validation/operation-validators.js';
import type { InputValidator } from '../../../kit/validation/validate.js';

/** A rest-json operation with everything its requests and responses need, computed once. */
export interface RestJsonOperation {
  readonly name: string;
  readonly method: string;
  readonly requestUri: string;
  readonly responseCode: number;
  readonly input: InputPlan;
  readonly output: OutputPlan;
  readonly validate?: InputValidator;
}

/** Where each input member is read from. */
export interface InputPlan {
  labels: Array<{ member: Member; label: string }>;
  query: Array<{ member: Member; key: string }>;
  queryMap?: Member;
  queryKeys: Set<string>;
  headers: Array<{ member: Member; header: string }>;
  headerMaps: Array<{ member: Member; prefix: string }>;
  payload?: PayloadPlan;
  /** Present when some members travel in a JSON body. */
  body?: { reader: Converter };
  locationMembers: string[];
}

/** Where each output member is written to. */
export interface OutputPlan {
  hasShape: boolean;
  headers: Array<{ member: Member; header: string }>;
  headerMaps: Array<{ member: Member; prefix: string }>;
  statusCode?: string;
  payload?: PayloadPlan;
  body: { writer: Converter; locationMembers: Set<string> };
}

/** The `payload` member: raw bytes, text, a JSON document, or an event stream (raw responses only). */
export interface PayloadPlan {
  member: Member;
  kind: 'blob' | 'string' | 'json' | 'eventstream';
  convert: Converter;
}

/** Compiles every operation of a rest-json model. */
export function compileRestJsonOperations(model: ServiceModel, handlerEnums?: HandlerEnums): RestJsonOperation[] {
  const compiler = new PlanCompiler(model, handlerEnums);
  return Object.entries<any>(model.operations).map(([name, raw]) => compiler.compile(name, raw));
}

class PlanCompiler {
  private readonly codec = new JsonCodec('unixTimestamp');
  private readonly validators: OperationValidators;
  private readonly shapes: ShapeResolver;

  constructor(model: ServiceModel, handlerEnums?: HandlerEnums) {
    this.shapes = new ShapeResolver(model);
    this.validators = new OperationValidators(model, handlerEnums);
  }

  compile(name: string, raw: any): RestJsonOperation {
    const http = raw.http ?? {};
    const inputShape = this.shapes.operationShape(raw.input);
    const outputShape = this.shapes.operationShape(raw.output);
    return {
      name,
      method: (http.method ?? 'POST').toUpperCase(),
      requestUri: http.requestUri ?? '/',
      responseCode: http.responseCode ?? 200,
      input: this.inputPlan(inputShape),
      output: this.outputPlan(outputShape),
      validate: this.validators.forOperation(name, inputShape),
    };
  }

  private inputPlan(shape: Shape | undefined): InputPlan {
    const plan: InputPlan = { labels: [], query: [], queryKeys: new Set(), headers: [], headerMaps: [], locationMembers: [] };
    if (!shape) return plan;
    let bodyMembers = 0;
    for (const member of Object.values(shape.members)) {
      const where = member.locationName ?? member.name;
      switch (member.location) {
        case 'uri':
          plan.labels.push({ member, label: where });
          break;
        case 'querystring':
          if (member.shape.type === 'map') plan.queryMap = member;
          else {
            plan.query.push({ member, key: where });
            plan.queryKeys.add(where);
          }
          break;
        case 'header':
          plan.headers.push({ member, header: where.toLowerCase() });
          break;
        case 'headers':
          plan.headerMaps.push({ member, prefix: where.toLowerCase() });
          break;
        default:
          if (member.name === shape.payload) plan.payload = this.payloadPlan(member, 'read');
          else bodyMembers++;
          continue;
      }
      plan.locationMembers.push(member.name);
    }
    if (!plan.payload && bodyMembers > 0) plan.body = { reader: this.codec.reader(shape) };
    return plan;
  }

  private outputPlan(shape: Shape | undefined): OutputPlan {
    const plan: OutputPlan = {
      hasShape: shape !== undefined,
      headers: [],
      headerMaps: [],
      body: { writer: null, locationMembers: new Set() },
    };
    if (!shape) return plan;
    for (const member of Object.values(shape.members)) {
      const where = member.locationName ?? member.name;
      if (member.location === 'header') plan.headers.push({ member, header: where });
      else if (member.location === 'headers') plan.headerMaps.push({ member, prefix: where });
      else if (member.location === 'statusCode') plan.statusCode = member.name;
      else if (member.name === shape.payload) plan.payload = this.payloadPlan(member, 'write');
      else continue;
      plan.body.locationMembers.add(member.name);
    }
    plan.body.writer = this.codec.writer(shape);
    return plan;
  }

  private payloadPlan(member: Member, direction: 'read' | 'write'): PayloadPlan {
    const type = member.shape.type;
    const kind = member.shape.eventstream
      ? 'eventstream'
      : type === 'blob'
        ? 'blob'
        : type === 'string'
          ? 'string'
          : 'json';
    const convert = direction === 'read' ? this.codec.reader(member.shape) : this.codec.writer(member.shape);
    return { member, kind, convert };
  }
}
