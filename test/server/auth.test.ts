/** Every API request is SigV4-verified; bad signatures get AWS's 403s and the server keeps serving. */
import { ListFunctionsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, REGION, removeDataDir, startNimbus, type NimbusProcess } from '../support/server/nimbus.js';

let nimbus: NimbusProcess;
beforeAll(async () => {
  nimbus = await startNimbus();
});
afterAll(async () => {
  await nimbus?.stop();
  removeDataDir(nimbus.dataDir);
});

const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new LambdaClient({ endpoint: nimbus.url, region: REGION, credentials, maxAttempts: 1 });

async function failure(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err: any) {
    return { name: err.name as string, status: err.$metadata?.httpStatusCode as number, message: err.message as string };
  }
  throw new Error('expected the call to fail');
}

describe('SigV4 authentication', () => {
  it('answers an unsigned request with MissingAuthenticationTokenException', async () => {
    const res = await fetch(`${nimbus.url}/2015-03-31/functions/`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException/);
  });

  it('answers a wrong secret with InvalidSignatureException', async () => {
    const err = await failure(() => client({ ...CREDENTIALS, secretAccessKey: 'wrong' }).send(new ListFunctionsCommand({})));
    expect(err).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
  });

  it('answers an unknown key with UnrecognizedClientException', async () => {
    const err = await failure(() => client({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }).send(new ListFunctionsCommand({})));
    expect(err).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
  });

  it('answers garbage Authorization headers without crashing', async () => {
    for (const auth of ['AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 Credential=', 'Bearer x', 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz']) {
      const res = await fetch(`${nimbus.url}/2015-03-31/functions/`, { headers: { authorization: auth } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await client(CREDENTIALS).send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it('accepts a presigned URL and refuses an expired one', async () => {
    const url = new URL(nimbus.url);
    const signer = new SignatureV4({ service: 'lambda', region: REGION, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') });
    const request = new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/2015-03-31/functions/',
      headers: { host: url.host },
    });
    const signed = await signer.presign(request, { expiresIn: 60 });
    const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
    const ok = await fetch(`${nimbus.url}/2015-03-31/functions/?${qs}`);
    expect(ok.status).toBe(200);
    const old = await signer.presign(request, { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
    const expired = await fetch(`${nimbus.url}/2015-03-31/functions/?${new URLSearchParams(old.query as Record<string, string>)}`);
    expect(expired.status).toBe(403);
  });
});
