// What a Lambda function URL hands its function (payload format 2.0, the same
// shape as an API Gateway HTTP API event) and how it turns the function's
// result into an HTTP answer. The sandbox's function-URL servers and the
// handler tests both build their events here, so a handler meets the event
// Lambda would give it: lower-case headers, repeated headers joined by commas,
// and a body that is base64 unless its content type is text.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** One HTTP request as it reached the function URL. */
export interface FunctionUrlRequest {
  method: string;
  /** The path and query, e.g. `/hooks?x=1`. */
  url: string;
  /** Header names in any case; a list for a repeated header. */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  body?: Buffer | string;
  /** The caller's address (default 127.0.0.1). */
  sourceIp?: string;
}

export interface FunctionUrlIdentity {
  /** The URL id, the first label of `<url-id>.lambda-url.<region>.on.aws`. */
  urlId: string;
  region: string;
}

/** A function URL's answer. */
export interface FunctionUrlResponse {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

// Bodies of these types reach the function as text; any other is base64.
const TEXT_TYPES = [
  /^text\//,
  /^application\/(?:[\w.+-]+\+)?json\b/,
  /^application\/(?:[\w.+-]+\+)?xml\b/,
  /^application\/javascript\b/,
];

/** Whether Lambda passes a body of this content type as text (otherwise base64, `isBase64Encoded: true`). */
export function passedAsText(contentType: string | undefined): boolean {
  const type = (contentType ?? '').trim().toLowerCase();
  return TEXT_TYPES.some((pattern) => pattern.test(type));
}

/** The payload-format-2.0 event of one request, as Lambda builds it for a function URL (auth type NONE). */
export function functionUrlEvent(
  request: FunctionUrlRequest,
  identity: FunctionUrlIdentity,
  now: Date = new Date(),
): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://function-url');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const values = typeof value === 'string' ? [value] : [...value];
    if (key === 'cookie') {
      cookies.push(...values.flatMap((line) => line.split(';').map((cookie) => cookie.trim())).filter(Boolean));
      continue;
    }
    headers[key] = headers[key] === undefined ? values.join(',') : `${headers[key]},${values.join(',')}`;
  }
  const domainName = `${identity.urlId}.lambda-url.${identity.region}.on.aws`;
  headers.host = domainName;
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const asText = passedAsText(headers['content-type']);
  const method = request.method.toUpperCase();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: identity.urlId,
      domainName,
      domainPrefix: identity.urlId,
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined && body.length > 0
      ? { body: asText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !asText }
      : { isBase64Encoded: false }),
  };
}

/**
 * The HTTP answer to a function's result: an object with `statusCode` is
 * read as a response; anything else is sent as JSON with status 200 (Lambda
 * infers that response format).
 */
export function functionUrlResponse(result: unknown): FunctionUrlResponse {
  if (isStructured(result)) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const text = result.body ?? '';
    return {
      status: result.statusCode ?? 200,
      headers,
      cookies: result.cookies ?? [],
      body: result.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(result === null || result === undefined ? '' : JSON.stringify(result), 'utf8'),
  };
}

function isStructured(result: unknown): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `02/Dec/2026:01:22:32 +0000`, the request time as Lambda writes it. */
function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
