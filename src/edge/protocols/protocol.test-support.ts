/** Stand-ins the protocol tests share (not built into dist: see tsconfig.build.json). */
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../shared/errors.js';

/** A ServerResponse stand-in that records what a protocol writes, the body as text. */
export function textRecorder(requestId = 'req-1') {
  const out = { status: 0, headers: {} as Record<string, string>, body: '' };
  const res = {
    getHeader: (name: string) => (name.toLowerCase() === 'x-amzn-requestid' ? requestId : undefined),
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(body: Buffer | string) {
      out.body = body.toString();
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

/** The AwsError `fn` throws; fails the test when it throws none. */
export function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected an error');
}
