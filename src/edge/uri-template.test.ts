import { describe, expect, it } from 'vitest';
import { parseQuery } from './sigv4-canonical.js';
import { UriRouter } from './uri-template.js';

const router = new UriRouter([
  { method: 'GET', requestUri: '/{Bucket}', value: 'ListObjects' },
  { method: 'GET', requestUri: '/{Bucket}?versions', value: 'ListObjectVersions' },
  { method: 'GET', requestUri: '/{Bucket}/{Key+}', value: 'GetObject' },
  { method: 'PUT', requestUri: '/{Bucket}/{Key+}', value: 'PutObject' },
  { method: 'GET', requestUri: '/2015-03-31/functions/{FunctionName}', value: 'GetFunction' },
  { method: 'GET', requestUri: '/2015-03-31/functions/{FunctionName}/versions', value: 'ListVersionsByFunction' },
  { method: 'GET', requestUri: '/2015-03-31/functions/', value: 'ListFunctions' },
  { method: 'GET', requestUri: '/v1/{Id}.json', value: 'Suffixed' },
]);

const match = (method: string, url: string) => {
  const [path, query = ''] = url.split('?') as [string, string?];
  return router.match(method, path, parseQuery(query));
};

describe('UriRouter', () => {
  it('prefers literal segments and literal query parts', () => {
    expect(match('GET', '/2015-03-31/functions/f/versions')).toEqual({
      value: 'ListVersionsByFunction',
      labels: { FunctionName: 'f' },
    });
    expect(match('GET', '/bucket?versions')?.value).toBe('ListObjectVersions');
    expect(match('GET', '/bucket?versions=')?.value).toBe('ListObjectVersions');
    expect(match('GET', '/bucket?prefix=a')?.value).toBe('ListObjects');
  });

  it('ignores a trailing slash outside greedy labels', () => {
    expect(match('GET', '/2015-03-31/functions')?.value).toBe('ListFunctions');
    expect(match('GET', '/2015-03-31/functions/')?.value).toBe('ListFunctions');
    expect(match('GET', '/2015-03-31/functions/f/')?.value).toBe('GetFunction');
  });

  it('lets a greedy label take the rest of the path, decoded, trailing slash included', () => {
    expect(match('GET', '/bucket/a/b%20c/d.txt')).toEqual({
      value: 'GetObject',
      labels: { Bucket: 'bucket', Key: 'a/b c/d.txt' },
    });
    expect(match('PUT', '/bucket/dir/')?.labels.Key).toBe('dir/');
    expect(match('GET', '/bucket/')?.value).toBe('ListObjects');
  });

  it('percent-decodes labels (ARNs arrive with %3A)', () => {
    expect(match('GET', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afoo')?.labels).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:foo',
    });
    expect(() => match('GET', '/2015-03-31/functions/%E0%A4%A')).toThrow(URIError);
  });

  it('matches labels with literal prefixes and suffixes, never empty labels', () => {
    expect(match('GET', '/v1/abc.json')?.labels).toEqual({ Id: 'abc' });
    const plain = new UriRouter([
      { method: 'GET', requestUri: '/v1/{Id}.json', value: 'Suffixed' },
      { method: 'GET', requestUri: '/2015-03-31/functions/{FunctionName}/versions', value: 'ListVersionsByFunction' },
    ]);
    expect(plain.match('GET', '/v1/.json', [])).toBeUndefined();
    expect(plain.match('GET', '/2015-03-31/functions//versions', [])).toBeUndefined();
  });

  it('matches nothing for unknown methods and paths', () => {
    expect(match('PATCH', '/bucket')).toBeUndefined();
    expect(match('GET', '/2015-03-31/functions/f/versions/extra')?.value).toBe('GetObject');
    expect(router.methodsFor('/bucket/key', [])).toEqual(['GET', 'PUT']);
  });
});
