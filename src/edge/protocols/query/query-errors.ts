/**
 * Error codes of services that speak (or used to speak) the `query` protocol. Their models name
 * each error shape twice: the shape name SDKs raise (`InvalidParameterValueException`) and the
 * older query code on the wire (`error.code`: `InvalidParameterValue`, the awsQueryError trait).
 * Services throw AwsErrors with the shape name; the query protocol writes the query code, and
 * json/cbor write both (`__type` and `x-amzn-query-error`) for query-compatible models.
 * Model validation failures (the edge's ValidationException) are `ValidationError` on the query
 * wire, as STS's and CloudWatch's: "An error occurred (ValidationError) ... 1 validation error
 * detected: ...".
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsqueryerror-trait
 */
import type { AwsError } from '../../../shared/errors.js';
import type { ServiceModel } from '../../../kit/service-definition.js';

/** Maps an AwsError code (shape name) to the model's query code; unknown codes pass unchanged. */
export type QueryErrorCode = (code: string) => string;

/** The shape name → query code table of a model, compiled once. */
export function queryErrorCodes(model: ServiceModel): QueryErrorCode {
  const codes = new Map<string, string>([['ValidationException', 'ValidationError']]);
  for (const [name, shape] of Object.entries<any>(model.shapes)) {
    const code = shape?.error?.code;
    if (shape?.exception === true && typeof code === 'string' && code !== name) codes.set(name, code);
  }
  return (code) => codes.get(code) ?? code;
}

/** The `x-amzn-query-error` value query-compatible SDKs read the error code from: `Code;Sender`. */
export function queryErrorHeader(error: AwsError, code: QueryErrorCode): string {
  return `${code(error.code)};${error.fault === 'client' ? 'Sender' : 'Receiver'}`;
}
