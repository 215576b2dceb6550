/**
 * The shape graph of a service model, resolved once. AWS models reference shapes by name
 * (botocore: `{"shape": "FunctionName"}`) or inline them (aws-sdk `.min.json`: `{}` is a string,
 * `{"type": "integer"}` an inline integer); both become the same `Shape` objects here, so the
 * protocol codecs and validators never look at the raw JSON again. Recursive shapes (DynamoDB's
 * AttributeValue) resolve to cyclic graphs, which is why everything that walks them memoizes.
 */
import type { ServiceModel } from '../service-definition.js';

/** The model's shape types. */
export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'bigdecimal'
  | 'biginteger'
  | 'boolean'
  | 'blob'
  | 'timestamp'
  | 'document';

/** Where a member of an input/output structure travels on the wire (absent: in the body). */
export type MemberLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

/** A resolved shape; structure members, list members and map keys/values are resolved too. */
export interface Shape {
  type: ShapeType;
  /** The model's name for it, when it had one (for messages and debugging). */
  name?: string;
  /** Structure members by name; a null-prototype object, read it through `memberOf`. */
  members: Record<string, Member>;
  required: string[];
  /** The structure member that is the whole HTTP body (rest protocols). */
  payload?: string;
  member?: Member;
  key?: Member;
  value?: Member;
  min?: number;
  max?: number;
  pattern?: string;
  /** The values a string may take (`enum`), in the model's order. */
  enum?: string[];
  /** A union: exactly one member may be set. */
  union: boolean;
  sensitive: boolean;
  timestampFormat?: string;
  /** An event stream (InvokeWithResponseStream); not a JSON value. */
  eventstream: boolean;
  /** Query/XML protocols: list items or map entries repeat the member itself, without a wrapper. */
  flattened: boolean;
}

/** A reference to a shape from a structure, list or map, with its wire binding. */
export interface Member {
  name: string;
  shape: Shape;
  location?: MemberLocation;
  /** Header name, query key, uri label or JSON key, as the model names it. */
  locationName?: string;
  jsonvalue: boolean;
  timestampFormat?: string;
  idempotencyToken: boolean;
  /** Query/XML protocols: set on the member reference instead of the list shape (either counts). */
  flattened: boolean;
  /** In an event of an event stream: the member that is the message's body. */
  eventpayload: boolean;
  /** In an event of an event stream: a member carried as a message header. */
  eventheader: boolean;
}

const NUMBER_TYPES = new Set<ShapeType>(['integer', 'long', 'float', 'double', 'bigdecimal', 'biginteger']);

/** True for the numeric shape types. */
export const isNumeric = (type: ShapeType): boolean => NUMBER_TYPES.has(type);

/** Resolves member references of one model; one instance per model, results memoized. */
export class ShapeResolver {
  private readonly named = new Map<string, Shape>();
  private readonly inline = new WeakMap<object, Shape>();

  constructor(private readonly model: ServiceModel) {}

  /** Resolves a member reference (`{shape: ...}` or an inline shape) into a Member. */
  member(name: string, ref: Record<string, any>): Member {
    return {
      name,
      shape: this.refShape(ref),
      location: ref.location,
      locationName: ref.locationName,
      jsonvalue: ref.jsonvalue === true,
      timestampFormat: ref.timestampFormat,
      idempotencyToken: ref.idempotencyToken === true,
      flattened: ref.flattened === true,
      eventpayload: ref.eventpayload === true,
      eventheader: ref.eventheader === true,
    };
  }

  /** Resolves an operation's `input`/`output` reference; undefined when the operation has none. */
  operationShape(ref: Record<string, any> | undefined): Shape | undefined {
    return ref ? this.refShape(ref) : undefined;
  }

  private refShape(ref: Record<string, any>): Shape {
    if (typeof ref.shape === 'string') return this.namedShape(ref.shape);
    return this.inlineShape(ref);
  }

  private namedShape(name: string): Shape {
    const cached = this.named.get(name);
    if (cached) return cached;
    const raw = this.model.shapes[name];
    if (!raw) throw new Error(`model ${this.model.metadata.endpointPrefix}: unknown shape ${name}`);
    const shape = blank(raw, name);
    // Registered before filling so that recursive references find it.
    this.named.set(name, shape);
    this.fill(shape, raw);
    return shape;
  }

  private inlineShape(raw: Record<string, any>): Shape {
    const cached = this.inline.get(raw);
    if (cached) return cached;
    const shape = blank(raw, undefined);
    this.inline.set(raw, shape);
    this.fill(shape, raw);
    return shape;
  }

  private fill(shape: Shape, raw: Record<string, any>): void {
    if (shape.type === 'structure') {
      for (const [name, ref] of Object.entries<Record<string, any>>(raw.members ?? {})) {
        shape.members[name] = this.member(name, ref);
      }
    } else if (shape.type === 'list') {
      shape.member = this.member('member', raw.member ?? {});
    } else if (shape.type === 'map') {
      shape.key = this.member('key', raw.key ?? {});
      shape.value = this.member('value', raw.value ?? {});
    }
  }
}

function blank(raw: Record<string, any>, name: string | undefined): Shape {
  return {
    // `.min.json` models omit `type` for strings.
    type: (raw.type ?? 'string') as ShapeType,
    name,
    // Wire keys such as `constructor` or `toString` must find nothing here, not Object.prototype's.
    members: Object.create(null) as Record<string, Member>,
    required: Array.isArray(raw.required) ? raw.required : [],
    payload: raw.payload,
    min: typeof raw.min === 'number' ? raw.min : undefined,
    max: typeof raw.max === 'number' ? raw.max : undefined,
    pattern: typeof raw.pattern === 'string' ? raw.pattern : undefined,
    enum: Array.isArray(raw.enum) ? raw.enum.map(String) : undefined,
    union: raw.union === true,
    sensitive: raw.sensitive === true,
    timestampFormat: raw.timestampFormat,
    eventstream: raw.eventstream === true,
    flattened: raw.flattened === true,
  };
}

/**
 * The member of structure `shape` named `key` (a key read off the wire), or undefined. Own
 * properties only: a request's `toString` or `__proto__` key is an unknown member, never a function.
 */
export const memberOf = (shape: Shape, key: string): Member | undefined =>
  Object.hasOwn(shape.members, key) ? shape.members[key] : undefined;

/** The value of `object` under a key read off the wire, or undefined; own properties only. */
export const ownValue = (object: object, key: string): unknown =>
  Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;

/** AWS's validation-message spelling of a member name: first letter lowered (`KMSKeyArn` → `kMSKeyArn`). */
export const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
