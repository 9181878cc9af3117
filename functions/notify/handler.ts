import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import * as z from 'zod';
import { createSlackClient, createSlackNotifier } from '../../src/adapters/slack.ts';
import { ConfigurationError } from '../../src/domain/errors.ts';
import { notifyRelease } from '../../src/domain/notify.ts';
import {
  caughtErrorSchema,
  deployResultSchema,
  notifyEventSchema,
  releaseRequestSchema,
} from '../../src/domain/release-schemas.ts';
import { optionalEnv, requireEnv } from '../../src/runtime/env.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';

const inputSchema = z.object({
  event: notifyEventSchema,
  request: releaseRequestSchema,
  deployment: deployResultSchema.optional(),
  error: caughtErrorSchema.optional(),
  rollbackError: caughtErrorSchema.optional(),
  // The previous notify's whole result arrives here; only these two fields matter.
  notice: z.object({ ts: z.string().min(1).optional(), channel: z.string().min(1).optional() }).optional(),
});

const tokenParameter = requireEnv('SLACK_TOKEN_PARAMETER');
// Read once per container: a rotated token is picked up by the next cold start.
const TOKEN_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

const notifier = createSlackNotifier({
  client: createSlackClient({ slackApiUrl: optionalEnv('SLACK_API_URL') }),
  token: async () => {
    // Powertools caches only values it got, so a failed read is tried again next time.
    const token = await getParameter(tokenParameter, { decrypt: true, maxAge: TOKEN_MAX_AGE_SECONDS });
    if (!token) throw new ConfigurationError(`the Slack token parameter ${tokenParameter} is empty`);
    return token;
  },
});

/** `notify`: `{ event, request, deployment?, error?, rollbackError?, notice? }` → `{ delivered, ts?, channel, reason? }`; never throws for Slack. */
export const handler = lambdaHandler(async (event: unknown) => {
  const result = await notifyRelease(parseEvent(inputSchema, event), notifier);
  if (!result.delivered)
    logger.warn('release notification not delivered', { channel: result.channel, reason: result.reason });
  return result;
});
