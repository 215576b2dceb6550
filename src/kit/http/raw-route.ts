/**
 * A raw route: an HTTP handler a service serves on Nimbus's port outside its AWS API, tried in
 * order before any authentication (health, code downloads, function URLs). It answers and
 * returns true, or returns false to let the next route (and finally the API) have the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RawRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
