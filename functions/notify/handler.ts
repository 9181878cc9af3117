import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { announceRefusal, notifyRelease } from '../../src/release/notify.ts';
import { notifyStep } from '../../src/release/steps.ts';
import { slackNotifierFromEnvironment } from '../../src/slack/adapters/notifier-from-env.ts';

const notifier = slackNotifierFromEnvironment();

/** `notify`: `{ event, request, deployment?, alreadyLive?, error?, rollbackError?, analysis?, notice? }` or `{ event: 'refused', refused }` → `{ delivered, ts?, channel, reason? }`; never throws for Slack. */
export const handler = lambdaHandler(async (event: unknown) => {
  const input = parseEvent(notifyStep.input, event);
  const result =
    input.event === 'refused' ? await announceRefusal(input.refused, notifier) : await notifyRelease(input, notifier);
  if (!result.delivered)
    logger.warn('release notification not delivered', { channel: result.channel, reason: result.reason });
  return result;
});
