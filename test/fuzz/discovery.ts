/**
 * Which operations have handlers, asked of the server itself: the edge answers an operation
 * without one 501 NotImplementedException before it reads the input (edge.ts), so one request per
 * model operation tells them apart. The request changes nothing either way: a body the operation
 * parses is cut short, and names in the path are of resources that do not exist.
 */
import type { FuzzOperation } from './operations.js';
import { Prng } from './prng.js';
import { generate } from './values.js';
import { encode, type WireRequest } from './wire/wire.js';
import { setOwn } from './wire/wire-values.js';

/** The discovery request of an operation, in the first protocol its service is served in. */
export function discoveryRequest(op: FuzzOperation): WireRequest {
  const protocol = op.service.protocols[0]!;
  const input = (op.input ? generate(op.input, new Prng(1)) : {}) as Record<string, unknown>;
  for (const member of Object.values(op.input?.members ?? {})) {
    if (member.location === 'uri' && member.shape.type === 'string') setOwn(input, member.name, 'fuzz-discovery');
  }
  const req = encode(protocol, op, input);
  if (req.parsesBody) req.body = Buffer.from(protocol === 'rpc-v2-cbor' ? [0xff] : '{');
  return req;
}
