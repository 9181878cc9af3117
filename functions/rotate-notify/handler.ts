import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { secretFor } from '../../src/rotation/adapters/rotation-from-env.ts';
import { notifyRotation } from '../../src/rotation/messages.ts';
import { rotateNotifyStep } from '../../src/rotation/steps.ts';
import { slackNotifierFromEnvironment } from '../../src/slack/adapters/notifier-from-env.ts';

const notifier = slackNotifierFromEnvironment();

/** `rotateNotify`: `{ request, outcome, published?, rolls?, error? }` → `{ delivered, reason? }`; never throws for Slack. */
export const handler = lambdaHandler(async (event: unknown) => {
  const { request, ended, ...outcome } = parseEvent(rotateNotifyStep.input, event);
  const notice = { ...request, ...outcome, publishedAnyway: ended?.published === true };
  const result = await notifyRotation(notice, secretFor(request.parameter).slackChannel, notifier);
  if (!result.delivered) {
    logger.warn('rotation notification not delivered', { parameter: request.parameter, reason: result.reason });
  }
  return result;
});
