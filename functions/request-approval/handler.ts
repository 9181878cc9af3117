import { requestApproval } from '../../src/approvals/request.ts';
import { requestApprovalStep } from '../../src/approvals/steps.ts';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { approvalStoreFromEnvironment, slackChatFromEnvironment } from '../../src/slack/adapters/chat-from-env.ts';

const approvals = approvalStoreFromEnvironment();
const releases = releaseStoreFromEnvironment();
const chat = slackChatFromEnvironment();

/** `requestApproval` (.waitForTaskToken): stores the token under a short id and posts the approval message; the task waits for a decision. */
export const handler = lambdaHandler(async (event: unknown) => {
  const input = parseEvent(requestApprovalStep.input, event);
  const asked = await requestApproval(input, { approvals, releases, chat, now: () => new Date() });
  // The id only: the token stays in DynamoDB.
  logger.info('approval requested', { releaseId: input.request.releaseId, approvalId: asked.approvalId });
  return { approvalId: asked.approvalId };
});
