import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { buttonClickBody, signSlackBody, slashCommandBody } from '../../sandbox/slack/signed-request.ts';

/** A function URL event (payload format 2.0) carrying `body` with `headers`, as Lambda hands it to the handler. */
export function functionUrlEvent(
  body: string,
  headers: Record<string, string>,
  base64 = false,
): APIGatewayProxyEventV2 {
  const time = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { host: 'abc123.lambda-url.us-east-1.on.aws', 'user-agent': 'Slackbot 1.0', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc123',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '3.3.3.3', userAgent: 'Slackbot 1.0' },
      requestId: `req-${time.getTime()}`,
      routeKey: '$default',
      stage: '$default',
      time: time.toUTCString(),
      timeEpoch: time.getTime(),
    },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  };
}

/** `/release …` typed by `user`, signed with `secret` (at `timestamp`, Unix seconds). */
export function commandEvent(line: string, user: string, secret: string, timestamp?: number): APIGatewayProxyEventV2 {
  const signed = signSlackBody(slashCommandBody(line, user), secret, timestamp);
  return functionUrlEvent(signed.body, signed.headers);
}

/** A click on an approval button, signed with `secret`. */
export function clickEvent(
  click: { actionId: string; value: string; user: string; channel?: string; messageTs?: string },
  secret: string,
): APIGatewayProxyEventV2 {
  const signed = signSlackBody(
    buttonClickBody({ channel: 'C0RELEASES1', messageTs: '1700000000.000100', ...click }),
    secret,
  );
  return functionUrlEvent(signed.body, signed.headers);
}

/** The reply a slash command answered with. */
export function replyOf(result: unknown): { status: number; text: string; responseType?: string } {
  const { statusCode, body } = result as { statusCode: number; body?: string };
  if (statusCode !== 200 || !body) return { status: statusCode, text: body ?? '' };
  const parsed = JSON.parse(body) as { text: string; response_type?: string };
  return {
    status: statusCode,
    text: parsed.text,
    ...(parsed.response_type ? { responseType: parsed.response_type } : {}),
  };
}
