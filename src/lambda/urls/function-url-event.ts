/**
 * The event a function URL request becomes: API Gateway's payload format 2.0 as Lambda builds
 * it for URLs. Pure: the route hands in what it read from the socket.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload
 */

/** What the route knows about one request. */
export interface UrlRequest {
  method: string;
  /** Path as sent, still percent-encoded, without the path form's `/_nimbus/url/ID` prefix. */
  rawPath: string;
  /** Query as sent, without `?`. */
  rawQueryString: string;
  /** Node's `headersDistinct`: lowercased names, every value. */
  headers: Record<string, string[] | undefined>;
  body: Buffer;
  httpVersion: string;
  sourceIp: string;
  requestId: string;
  traceId: string;
  /** Epoch ms. */
  now: number;
  urlId: string;
  domainName: string;
  /** Port the client reached us on, for x-forwarded-port. */
  port: string;
  /** `anonymous` for AuthType NONE; the caller's account for AWS_IAM. */
  accountId: string;
  /** The verified caller, for AuthType AWS_IAM. */
  iam?: { accessKey: string; accountId: string; callerId: string; userArn: string; userId: string };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, requestContext.time's format. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * Content types whose body reaches the function as text; anything else (and a body without a
 * type) is base64 with isBase64Encoded true, as Lambda does for binary bodies.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/javascript' ||
    type === 'application/xml' ||
    type.endsWith('+xml')
  );
}

/** The payload format 2.0 event, members in AWS's order; absent ones left out as AWS does. */
export function buildUrlEvent(r: UrlRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(r.headers)) {
    if (!values || values.length === 0) continue;
    // Cookies move to their own list, as in payload 2.0; the header itself is not passed.
    if (name === 'cookie') {
      cookies = values.flatMap((v) => v.split(';')).map((c) => c.trim()).filter((c) => c !== '');
      continue;
    }
    headers[name] = values.join(',');
  }
  headers['x-amzn-trace-id'] = r.traceId;
  headers['x-forwarded-for'] = r.sourceIp;
  headers['x-forwarded-proto'] = 'http';
  if (r.port) headers['x-forwarded-port'] = r.port;

  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(r.rawQueryString)) {
    query[key] = key in query ? `${query[key]},${value}` : value;
  }
  const text = isTextContentType(headers['content-type']);
  const userAgent = headers['user-agent'];
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: r.rawPath,
    rawQueryString: r.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: r.accountId,
      apiId: r.urlId,
      ...(r.iam ? { authorizer: { iam: { ...r.iam, cognitoIdentity: null, principalOrgId: null } } } : {}),
      domainName: r.domainName,
      domainPrefix: r.urlId,
      http: {
        method: r.method,
        path: r.rawPath,
        protocol: `HTTP/${r.httpVersion}`,
        sourceIp: r.sourceIp,
        ...(userAgent !== undefined ? { userAgent } : {}),
      },
      requestId: r.requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(r.now),
      timeEpoch: r.now,
    },
    ...(r.body.length > 0 ? { body: text ? r.body.toString('utf8') : r.body.toString('base64') } : {}),
    isBase64Encoded: r.body.length > 0 && !text,
  };
}
