import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { rawBody } from '../../platform/http-lambda.ts';
import { checkSlackSignature } from '../signature.ts';

// A function URL's request (payload format 2.0) as Slack sends it: a form
// body, signed. The signature is checked on the raw bytes before anything
// parses them; only then is the form read.

/**
 * A refused request: the HTTP status the edge answers (@middy/http-error-handler)
 * with `message`, all the caller sees; `reason`, for the log only, says why.
 */
export class HttpStatusError extends Error {
  readonly statusCode: number;
  readonly expose = true;
  readonly reason: string;
  constructor(statusCode: number, message: string, options?: ErrorOptions & { reason?: string }) {
    super(message, options);
    this.name = statusCode === 401 ? 'UnauthorizedRequestError' : 'BadRequestError';
    this.statusCode = statusCode;
    this.reason = options?.reason ?? message;
  }
}

/**
 * Logs an error the edge answers, once: a refused request at WARN (anyone can
 * send the public URL junk, and that must raise no alarm), anything else at
 * ERROR; by name and message only, never the event or a cause's details.
 */
export const logRequestError =
  (logger: Logger) =>
  (error: unknown): void => {
    if (error instanceof HttpStatusError) {
      logger.warn('request refused', { statusCode: error.statusCode, reason: error.reason });
      return;
    }
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    logger.error('request failed', { errorName: name, errorMessage: message });
  };

/** A verified request from Slack: a slash command, or a click on one of our buttons. */
export type SlackRequest =
  | { kind: 'command'; text: string; user: string; channel?: string; timestamp: string }
  | { kind: 'button'; actionId: string; value: string; user: string; channel?: string; timestamp: string };

/** The event once the middleware has verified and read it. */
export type SlackEvent = APIGatewayProxyEventV2 & { slack: SlackRequest };

const commandSchema = z.object({
  text: z.string().max(4000).default(''),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
});

const actionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().max(100).default('') })).min(1),
});

/**
 * Checks Slack's signature over the raw body (the secret from `secret()`, read
 * once per cold start), then reads the form. A forged, stale or unsigned
 * request is 401 and goes no further; a signed but malformed one is 400. Each
 * is an HttpStatusError, logged by `logRequestError` at the edge.
 */
export function slackRequest(options: {
  secret: () => Promise<string>;
  now?: () => Date;
}): MiddlewareObj<SlackEvent, APIGatewayProxyResultV2, Error, Context> {
  const now = options.now ?? (() => new Date());
  return {
    before: async (request) => {
      const event = request.event;
      const raw = rawBody(event);
      const headers = event.headers ?? {};
      const timestamp = headers['x-slack-request-timestamp'];
      const problem = checkSlackSignature(
        raw,
        { timestamp, signature: headers['x-slack-signature'] },
        await options.secret(),
        now(),
      );
      if (problem !== undefined || timestamp === undefined) {
        // Why, for whoever reads the logs; the caller learns nothing.
        throw new HttpStatusError(401, 'unauthorized', {
          reason: `not signed by Slack: ${problem ?? 'no X-Slack-Request-Timestamp'}`,
        });
      }
      event.slack = readForm(new URLSearchParams(raw), timestamp);
    },
  };
}

function readForm(form: URLSearchParams, timestamp: string): SlackRequest {
  const payload = form.get('payload');
  if (payload === null) {
    const command = commandSchema.safeParse(Object.fromEntries(form));
    if (!command.success) throw new HttpStatusError(400, 'not a slash command');
    const { text, user_id, channel_id } = command.data;
    return { kind: 'command', text, user: user_id, ...(channel_id ? { channel: channel_id } : {}), timestamp };
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    throw new HttpStatusError(400, 'the payload is not JSON', { cause: error });
  }
  const actions = actionsSchema.safeParse(json);
  const action = actions.data?.actions[0];
  if (!actions.success || !action) throw new HttpStatusError(400, 'not a block action');
  const channel = actions.data.channel?.id;
  return {
    kind: 'button',
    actionId: action.action_id,
    value: action.value,
    user: actions.data.user.id,
    ...(channel ? { channel } : {}),
    timestamp,
  };
}
