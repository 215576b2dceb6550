/**
 * Mutations of the written request, each refused by the edge for certain: a body cut short or
 * replaced by garbage (never decodable as the protocol's object), an operation or service that
 * does not exist, X-Amz-Target on an rpc-v2-cbor request (the spec says reject), a label that is
 * not valid percent-encoding, more values than a request may hold.
 */
import type { Prng } from '../prng.js';
import type { WireRequest } from '../wire/wire.js';
import { formBody } from '../wire/wire.js';

/** One mutation of a written request. */
export interface WireMutation {
  name: string;
  applies(req: WireRequest): boolean;
  apply(req: WireRequest, rng: Prng): void;
}

/** A label value the driver sets, replaced in the written path by malformed percent-encoding. */
export const BAD_LABEL_MARKER = 'FUZZBADLABEL';

const jsonBody = (req: WireRequest) => req.parsesBody && (req.protocol === 'json' || (req.protocol === 'rest-json' && req.body.length > 0));
const garbage = (rng: Prng, n: number) => Buffer.from(Array.from({ length: n }, () => rng.int(0, 255)));

/** The catalogue; each applies to the protocols it can break. */
export const WIRE_MUTATIONS: WireMutation[] = [
  {
    name: 'cut-body',
    applies: (req) => jsonBody(req) || req.protocol === 'rpc-v2-cbor',
    apply: (req, rng) => {
      // Every proper prefix of a JSON object or a CBOR map is incomplete.
      req.body = req.body.length >= 2 ? req.body.subarray(0, rng.int(1, req.body.length - 1)) : Buffer.from(req.protocol === 'rpc-v2-cbor' ? [0xff] : '{');
    },
  },
  {
    name: 'garbage-body',
    applies: (req) => jsonBody(req) || req.protocol === 'rpc-v2-cbor' || req.protocol === 'query',
    apply: (req, rng) => {
      // A first byte no decoder accepts as the start of an object (nor of an `Action=` pair).
      req.body = Buffer.concat([Buffer.from([req.protocol === 'rpc-v2-cbor' ? 0xff : 0x01]), garbage(rng, rng.int(0, 300))]);
    },
  },
  {
    name: 'unknown-operation',
    applies: () => true,
    apply: (req) => {
      if (req.protocol === 'json') req.headers['x-amz-target'] = req.headers['x-amz-target']!.replace(/\.[^.]+$/, '.NoSuchOperation');
      else if (req.protocol === 'rpc-v2-cbor') req.path = req.path.replace(/[^/]+$/, 'NoSuchOperation');
      else if (req.protocol === 'query') req.body = Buffer.from(formBody([['Action', 'NoSuchOperation']]));
      else req.path = `/2015-03-31/no-such-resource${req.path}`;
    },
  },
  {
    name: 'unknown-service',
    applies: (req) => req.protocol === 'rpc-v2-cbor',
    apply: (req) => {
      req.path = req.path.replace(/\/service\/[^/]+\//, '/service/NoSuchService/');
    },
  },
  {
    name: 'target-on-cbor',
    applies: (req) => req.protocol === 'rpc-v2-cbor',
    apply: (req) => {
      req.headers['x-amz-target'] = 'GraniteServiceVersion20100801.ListMetrics';
    },
  },
  {
    name: 'bad-label',
    applies: (req) => req.path.includes(BAD_LABEL_MARKER),
    apply: (req, rng) => {
      req.path = req.path.replace(BAD_LABEL_MARKER, rng.pick(['%E0%A4%A', '%', '%zz', '%C0%AF%']));
    },
  },
];
