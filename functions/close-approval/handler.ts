import * as z from 'zod';
import { closeApproval } from '../../src/domain/approval-close.ts';
import { caughtErrorSchema, releaseRequestSchema } from '../../src/domain/release-schemas.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';
import { parseEvent } from '../../src/runtime/parse-event.ts';
import { approvalStoreFromEnvironment, slackChatFromEnvironment } from '../../src/runtime/slack-chat.ts';

const inputSchema = z.object({ request: releaseRequestSchema, error: caughtErrorSchema });

const approvals = approvalStoreFromEnvironment();
const chat = slackChatFromEnvironment();

/** `closeApproval`: `{ request, error }` of a release not approved (rejected or timed out) → `{ approvalId, verdict, reason }`. */
export const handler = lambdaHandler(async (event: unknown) => {
  const closed = await closeApproval(parseEvent(inputSchema, event), {
    approvals,
    chat,
    now: () => new Date(),
    warn: (message) => logger.warn(message),
  });
  logger.info('approval closed', { ...closed });
  return closed;
});
