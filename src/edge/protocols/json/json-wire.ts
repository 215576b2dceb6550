/**
 * What the two JSON protocols (rest-json and awsJson) share: reading a JSON body, turning
 * validation problems into AWS errors, and writing JSON responses and errors.
 */
import type { ServerResponse } from 'node:http';
import { AwsError } from '../../../shared/errors.js';
import { EdgeErrors } from '../../edge-errors.js';
import { validationMessage, type Problems } from '../../../kit/validation/validate.js';
import { jsonExcess } from '../wire-limits.js';

/**
 * The parsed JSON object of a body; an empty body is `{}`. Throws `code` (400) when it is not a
 * JSON object, or holds more values or nesting than any request needs (wire-limits.ts).
 */
export function parseJsonBody(body: Buffer, code: string): Record<string, unknown> {
  if (body.length === 0) return {};
  const excess = jsonExcess(body);
  if (excess) throw EdgeErrors.serialization(code, `Could not parse request body into json: the body holds ${excess}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw EdgeErrors.serialization(code, `Could not parse request body into json: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw EdgeErrors.serialization(code, 'Could not parse request body into json: expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Wrong types are parse errors (`code`); failed constraints are a ValidationException. */
export function problemsError(problems: Problems, code: string, parsing = 'Could not parse request body into json'): AwsError {
  if (problems.type.length > 0) {
    return EdgeErrors.serialization(code, `${parsing}: ${problems.type.join('; ')}`);
  }
  return EdgeErrors.validation(validationMessage(problems.constraint));
}

/** Writes a complete response with a fixed length. */
export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  headers['Content-Length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * An error as both JSON protocols' clients read it: the code in `x-amzn-ErrorType` (what SDKs
 * look at first) and in the body (`__type` for awsJson, `Type`/`message` for rest-json), plus the
 * error's extra members and headers.
 */
export function writeJsonError(
  res: ServerResponse,
  error: AwsError,
  contentType: string,
  style: 'rest-json' | 'json',
  extraHeaders?: Record<string, string>,
): void {
  const body =
    style === 'rest-json'
      ? { Type: error.fault === 'client' ? 'User' : 'Service', message: error.message, ...error.fields }
      : { __type: error.code, message: error.message, ...error.fields };
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'x-amzn-ErrorType': error.code,
    ...extraHeaders,
    ...error.headers,
  };
  send(res, error.status, headers, JSON.stringify(body));
}
