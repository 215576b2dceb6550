import { describe, expect, it } from 'vitest';
import { applyCors, preflightHeaders } from './function-url-cors.js';
import { buildUrlEvent, clfTime, isTextContentType } from './function-url-event.js';
import { mapUrlResponse } from './function-url-response.js';
import { matchFunctionUrl } from './function-url-route.js';

const ID = 'abcdefghij0123456789abcdefghij01';
const map = (v: unknown) => {
  const r = mapUrlResponse(Buffer.from(JSON.stringify(v)));
  return { status: r.statusCode, headers: r.headers, body: r.body.toString('utf8') };
};

describe('mapUrlResponse', () => {
  it('treats an object with statusCode as a response description', () => {
    expect(map({ statusCode: 204, headers: { 'X-A': 1 }, cookies: ['c=1'], multiValueHeaders: { b: ['x'] } })).toEqual({
      status: 204,
      headers: { 'x-a': '1', 'content-type': 'application/json', 'set-cookie': ['c=1'] },
      body: '',
    });
    expect(map({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }).body).toBe('hi');
  });

  it('sends anything else as the body of a 200 application/json', () => {
    expect(map('text')).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: 'text' });
    expect(map([1, 2]).body).toBe('[1,2]');
    expect(map({ body: 'x' }).body).toBe('{"body":"x"}');
    expect(map(null).body).toBe('null');
  });

  it('answers 502 for a statusCode that is no HTTP status', () => {
    expect(map({ statusCode: 'teapot' }).status).toBe(502);
    expect(map({ statusCode: 42 }).status).toBe(502);
  });
});

describe('buildUrlEvent', () => {
  const base = {
    method: 'GET', rawPath: '/', rawQueryString: '', headers: {}, body: Buffer.alloc(0), httpVersion: '1.1', sourceIp: '1.2.3.4',
    requestId: 'r', traceId: 't', now: Date.UTC(2020, 2, 12, 19, 3, 58), urlId: ID, domainName: 'd', port: '80', accountId: 'anonymous',
  };

  it('leaves out what the request did not have', () => {
    const event = buildUrlEvent(base);
    expect(Object.keys(event)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'headers', 'requestContext', 'isBase64Encoded']);
    expect((event.requestContext as any).time).toBe('12/Mar/2020:19:03:58 +0000');
  });

  it('base64-encodes bodies that are not text', () => {
    expect(buildUrlEvent({ ...base, body: Buffer.from('a=1') })).toMatchObject({ body: 'YT0x', isBase64Encoded: true });
    expect(isTextContentType('application/vnd.api+json; charset=utf-8')).toBe(true);
    expect(isTextContentType('application/x-www-form-urlencoded')).toBe(false);
    expect(clfTime(0)).toBe('01/Jan/1970:00:00:00 +0000');
  });
});

describe('matchFunctionUrl', () => {
  it('matches the host form and the path form only', () => {
    expect(matchFunctionUrl(`${ID}.lambda-url.us-east-1.localhost:4566`, '/a/b')).toEqual({ urlId: ID, rawPath: '/a/b' });
    expect(matchFunctionUrl('localhost:4566', `/_nimbus/url/${ID}`)).toEqual({ urlId: ID, rawPath: '/' });
    expect(matchFunctionUrl('localhost', `/_nimbus/url/${ID}/x/y`)).toEqual({ urlId: ID, rawPath: '/x/y' });
    expect(matchFunctionUrl('localhost', '/_nimbus/url/short/x')).toBeUndefined();
    expect(matchFunctionUrl('localhost', '/2015-03-31/functions')).toBeUndefined();
  });
});

describe('CORS', () => {
  it('allows any origin with *, echoing it when credentials are allowed', () => {
    const pre = { origin: 'https://a', 'access-control-request-method': 'PUT' };
    expect(preflightHeaders({ AllowOrigins: ['*'], AllowMethods: ['*'] }, pre)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT',
    });
    expect(preflightHeaders({ AllowOrigins: ['*'], AllowMethods: ['GET'] }, pre)).toEqual({});
    const headers: Record<string, string | string[]> = { 'access-control-allow-origin': 'x' };
    applyCors({ AllowOrigins: ['*'], AllowCredentials: true }, 'https://a', headers);
    expect(headers).toEqual({ 'access-control-allow-origin': 'https://a', 'access-control-allow-credentials': 'true', vary: 'Origin' });
  });
});
