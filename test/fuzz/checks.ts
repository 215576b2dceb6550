/**
 * What every answer must be: never 5xx (but 501 NotImplementedException for an operation without
 * a handler), 4xx whenever the request carried an invalidating mutation, and every error shaped
 * as its protocol's clients read it: rest-json `x-amzn-ErrorType` and a JSON `message`; awsJson
 * `__type` and `message`; awsQuery `<ErrorResponse><Error><Type/><Code/><Message/></Error>`;
 * rpc-v2-cbor a CBOR map with `__type` and `message` and the `smithy-protocol` header.
 */
import { decode } from 'cborg';
import type { WireProtocol } from './operations.js';
import type { WireResponse } from './wire/send.js';

const QUERY_ERROR = /^<ErrorResponse[^>]*><Error><Type>(Sender|Receiver)<\/Type><Code>([^<]+)<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[^<]*<\/RequestId><\/ErrorResponse>$/;

/** The error code of an AWS-shaped error answer, or why it is not one. */
export function errorCode(protocol: WireProtocol, res: WireResponse): { code?: string; problem?: string } {
  const text = res.body.toString('utf8');
  try {
    switch (protocol) {
      case 'rest-json': {
        const type = res.headers['x-amzn-errortype'];
        const body = JSON.parse(text);
        if (typeof type !== 'string' || type === '') return { problem: 'no x-amzn-ErrorType header' };
        if (typeof (body.message ?? body.Message) !== 'string') return { problem: 'no message in the JSON body' };
        return { code: type };
      }
      case 'json': {
        const body = JSON.parse(text);
        if (typeof body.__type !== 'string' || typeof body.message !== 'string') return { problem: 'no __type and message in the JSON body' };
        return { code: body.__type };
      }
      case 'query': {
        const m = QUERY_ERROR.exec(text);
        return m ? { code: m[2] } : { problem: 'not an <ErrorResponse>' };
      }
      case 'rpc-v2-cbor': {
        if (res.headers['smithy-protocol'] !== 'rpc-v2-cbor') return { problem: 'no smithy-protocol header' };
        const body = decode(res.body) as Record<string, unknown>;
        if (typeof body.__type !== 'string' || typeof body.message !== 'string') return { problem: 'no __type and message in the CBOR body' };
        return { code: body.__type };
      }
    }
  } catch (err) {
    return { problem: `unreadable body: ${(err as Error).message}` };
  }
}

/** Why an answer is wrong for a request, or undefined. */
export function verdict(protocol: WireProtocol, invalid: boolean, res: WireResponse): string | undefined {
  if (res.status >= 200 && res.status < 300) return invalid ? `answered ${res.status} to a request the model refuses` : undefined;
  const { code, problem } = errorCode(protocol, res);
  if (problem) return `${res.status} error not shaped for ${protocol}: ${problem}`;
  if (res.status === 501) return code === 'NotImplementedException' ? undefined : `501 ${code}`;
  if (res.status >= 500) return `${res.status} ${code}`;
  if (res.status < 400) return `unexpected status ${res.status}`;
  return undefined;
}
