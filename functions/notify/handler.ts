import * as z from 'zod';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { announceRefusal, notifyRelease } from '../../src/release/notify.ts';
import {
  alreadyLiveSchema,
  caughtErrorSchema,
  deployResultSchema,
  notifyEventSchema,
  refusedTargetSchema,
  releaseRequestSchema,
} from '../../src/release/schemas.ts';
import { slackChatFromEnvironment } from '../../src/slack/adapters/chat-from-env.ts';

const inputSchema = z.object({
  event: notifyEventSchema,
  request: releaseRequestSchema,
  deployment: deployResultSchema.optional(),
  alreadyLive: alreadyLiveSchema.optional(),
  error: caughtErrorSchema.optional(),
  rollbackError: caughtErrorSchema.optional(),
  analysis: z
    .object({
      verdict: z.string(),
      decision: z.string(),
      reason: z.string(),
      metrics: z.array(z.object({ metric: z.string(), verdict: z.string(), reason: z.string() })),
      productionWeight: z.number().optional(),
    })
    .optional(),
  // The previous notify's whole result arrives here; only these two fields matter.
  notice: z.object({ ts: z.string().min(1).optional(), channel: z.string().min(1).optional() }).optional(),
});

// A target plan refused: there is no release request, only the refusal.
const refusalSchema = z.object({ event: z.literal('refused'), refused: refusedTargetSchema });
const isRefusal = (event: unknown) =>
  typeof event === 'object' && event !== null && (event as Record<string, unknown>).event === 'refused';

const notifier = slackChatFromEnvironment();

/** `notify`: `{ event, request, deployment?, alreadyLive?, error?, rollbackError?, analysis?, notice? }` or `{ event: 'refused', refused }` → `{ delivered, ts?, channel, reason? }`; never throws for Slack. */
export const handler = lambdaHandler(async (event: unknown) => {
  const result = isRefusal(event)
    ? await announceRefusal(parseEvent(refusalSchema, event).refused, notifier)
    : await notifyRelease(parseEvent(inputSchema, event), notifier);
  if (!result.delivered)
    logger.warn('release notification not delivered', { channel: result.channel, reason: result.reason });
  return result;
});
