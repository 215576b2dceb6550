/**
 * Error catalogues: each service names the errors it raises once, by the shape names its model
 * declares, and the HTTP status of each comes from the model (`error.httpStatusCode`), never
 * from a hand-typed copy. A code the model does not list (AWS sends a few anyway, such as
 * Lambda's `RequestEntityTooLargeException`) must say so, with its status and the reason.
 * Building a catalogue checks all of this, so a misspelt code fails at start-up and in the
 * service's catalogue test rather than on the wire.
 */
import { AwsError } from '../shared/errors.js';
import type { ServiceModel } from './service-definition.js';

/** One kind of error a service raises. */
export interface ErrorSpec {
  /** The error shape's name as the model spells it (what SDKs raise). */
  code: string;
  /** Members every error of this kind carries (Lambda's `Type: 'User'`). */
  fields?: Record<string, unknown>;
  /** Only for a code the model does not list: the status AWS answers it with, and why it is here. */
  offModel?: { status: number; reason: string };
}

/** What an error may add to its kind: more members of the shape, response headers. */
export interface ErrorExtras {
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Raises one kind of error with a message. */
export type ErrorFactory = ((message: string, extras?: ErrorExtras) => AwsError) & { readonly spec: ErrorSpec; readonly status: number };

export type ErrorCatalogue<K extends string> = { readonly [P in K]: ErrorFactory };

/** The status a model gives an error shape; 400 when it names none (awsJson models often do not). */
export function modelErrorStatus(model: ServiceModel, code: string): number | undefined {
  const shape = Object.hasOwn(model.shapes, code) ? model.shapes[code] : undefined;
  if (!shape?.exception) return undefined;
  return shape.error?.httpStatusCode ?? 400;
}

/** Builds a catalogue; throws when a code is neither in the model nor declared off-model. */
export function errorCatalogue<K extends string>(model: ServiceModel, specs: Record<K, ErrorSpec>): ErrorCatalogue<K> {
  const catalogue = {} as Record<K, ErrorFactory>;
  for (const key of Object.keys(specs) as K[]) {
    const spec = specs[key];
    const status = catalogueStatus(model, spec);
    const factory = (message: string, extras?: ErrorExtras) =>
      new AwsError(spec.code, message, status, { ...spec.fields, ...extras?.fields }, extras?.headers ?? {});
    catalogue[key] = Object.assign(factory, { spec, status });
  }
  return catalogue;
}

function catalogueStatus(model: ServiceModel, spec: ErrorSpec): number {
  const fromModel = modelErrorStatus(model, spec.code);
  const service = model.metadata.serviceId ?? model.metadata.endpointPrefix;
  if (fromModel !== undefined) {
    if (spec.offModel) throw new Error(`${service} error ${spec.code} is in the model: it needs no offModel status`);
    return fromModel;
  }
  if (!spec.offModel) throw new Error(`${service} error ${spec.code} is not an error shape of the model`);
  if (!spec.offModel.reason) throw new Error(`${service} error ${spec.code}: say why a code the model lacks is used`);
  return spec.offModel.status;
}

/**
 * What a service's catalogue test asserts is empty: every entry raises its model's shape with
 * the model's status, or is declared off-model with a reason and truly absent from the model.
 */
export function catalogueProblems(model: ServiceModel, catalogue: Record<string, ErrorFactory>): string[] {
  const problems: string[] = [];
  for (const [key, factory] of Object.entries(catalogue)) {
    const error = factory('probe');
    const fromModel = modelErrorStatus(model, error.code);
    if (factory.spec.offModel) {
      if (fromModel !== undefined) problems.push(`${key}: ${error.code} is in the model`);
      if (factory.spec.offModel.reason.length < 10) problems.push(`${key}: no reason for an off-model code`);
    } else if (error.status !== fromModel) {
      problems.push(`${key}: ${error.code} answers ${error.status}, the model says ${fromModel}`);
    }
  }
  return problems;
}
