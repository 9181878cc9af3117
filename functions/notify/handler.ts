import * as z from 'zod';
import { notifyRelease } from '../../src/domain/notify.ts';
import {
  alreadyLiveSchema,
  caughtErrorSchema,
  deployResultSchema,
  notifyEventSchema,
  releaseRequestSchema,
} from '../../src/domain/release-schemas.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';
import { slackNotifierFromEnvironment } from '../../src/runtime/slack-notifier.ts';

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

const notifier = slackNotifierFromEnvironment();

/** `notify`: `{ event, request, deployment?, alreadyLive?, error?, rollbackError?, analysis?, notice? }` → `{ delivered, ts?, channel, reason? }`; never throws for Slack. */
export const handler = lambdaHandler(async (event: unknown) => {
  const result = await notifyRelease(parseEvent(inputSchema, event), notifier);
  if (!result.delivered)
    logger.warn('release notification not delivered', { channel: result.channel, reason: result.reason });
  return result;
});
