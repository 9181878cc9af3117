import * as z from 'zod';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { secretFor } from '../../src/rotation/adapters/rotation-from-env.ts';
import { notifyRotation, ROTATION_OUTCOMES } from '../../src/rotation/messages.ts';
import { rotationRequestSchema } from '../../src/rotation/schemas.ts';
import { slackChatFromEnvironment } from '../../src/slack/adapters/chat-from-env.ts';

const inputSchema = z.object({
  request: rotationRequestSchema,
  outcome: z.enum(ROTATION_OUTCOMES),
  published: z.object({ version: z.number().int(), previousVersion: z.number().int().optional() }).optional(),
  rolls: z
    .array(
      z.object({ service: z.string(), environment: z.string(), failed: z.boolean(), reason: z.string().optional() }),
    )
    .optional(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  // What EndFailed returned, or its error when it failed.
  ended: z.object({ published: z.boolean().optional() }).optional(),
});

const notifier = slackChatFromEnvironment();

/** `rotateNotify`: `{ request, outcome, published?, rolls?, error? }` → `{ delivered, reason? }`; never throws for Slack. */
export const handler = lambdaHandler(async (event: unknown) => {
  const { request, ended, ...outcome } = parseEvent(inputSchema, event);
  const notice = { ...request, ...outcome, publishedAnyway: ended?.published === true };
  const result = await notifyRotation(notice, secretFor(request.parameter).slackChannel, notifier);
  if (!result.delivered) {
    logger.warn('rotation notification not delivered', { parameter: request.parameter, reason: result.reason });
  }
  return result;
});
