import { closeApproval } from '../../src/approvals/close.ts';
import { closeApprovalStep } from '../../src/approvals/steps.ts';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { approvalStoreFromEnvironment, slackChatFromEnvironment } from '../../src/slack/adapters/chat-from-env.ts';

const approvals = approvalStoreFromEnvironment();
const chat = slackChatFromEnvironment();

/** `closeApproval`: `{ request, error }` of a release not approved (rejected or timed out) → `{ approvalId, verdict, reason }`. */
export const handler = lambdaHandler(async (event: unknown) => {
  const closed = await closeApproval(parseEvent(closeApprovalStep.input, event), {
    approvals,
    chat,
    now: () => new Date(),
    warn: (message) => logger.warn(message),
  });
  logger.info('approval closed', { ...closed });
  return closed;
});
