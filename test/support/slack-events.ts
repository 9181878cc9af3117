import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { functionUrlEvent } from '../../sandbox/lambda/function-url-event.ts';
import { buttonClickBody, signSlackBody, slashCommandBody } from '../../src/slack/adapters/signed-request.ts';

/** The event Lambda builds for a POST of `body` to a function URL (form bodies arrive base64, as in AWS). */
export function slackUrlEvent(body: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  return functionUrlEvent(
    { method: 'POST', url: '/', headers, body },
    { urlId: 'slackcommandurl0', region: 'us-east-1' },
  );
}

/** `/release …` typed by `user`, signed with `secret` (at `timestamp`, Unix seconds). */
export function commandEvent(line: string, user: string, secret: string, timestamp?: number): APIGatewayProxyEventV2 {
  const signed = signSlackBody(slashCommandBody(line, user), secret, timestamp);
  return slackUrlEvent(signed.body, signed.headers);
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
  return slackUrlEvent(signed.body, signed.headers);
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
