import * as z from 'zod';
import { canaryQuestionSchema } from '../../src/approvals/canary-question.ts';
import { type ApprovalRequestPorts, requestApproval } from '../../src/approvals/request.ts';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredReleaseStore } from '../../src/release/adapters/wiring.ts';
import { releaseRequestSchema } from '../../src/release/schemas.ts';
import { wiredApprovals, wiredChat } from '../../src/slack/adapters/wiring.ts';

const inputSchema = z.object({
  request: releaseRequestSchema,
  executionId: z.string().min(1),
  taskToken: z.string().min(1),
  notice: z.object({ ts: z.string().min(1).optional(), channel: z.string().min(1).optional() }).optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  canary: canaryQuestionSchema.optional(),
});

/** `requestApproval` (.waitForTaskToken): stores the token under a short id and posts the approval message; the task waits for a decision. */
export function createRequestApprovalHandler(deps: ApprovalRequestPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const input = parseEvent(inputSchema, event);
    const asked = await requestApproval(input, deps);
    // The id only: the token stays in DynamoDB.
    logger.info('approval requested', { releaseId: input.request.releaseId, approvalId: asked.approvalId });
    return { approvalId: asked.approvalId };
  });
}

/** `requestApproval` over Slack and the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createRequestApprovalHandler({
    approvals: wiredApprovals(wiring),
    releases: wiredReleaseStore(wiring),
    chat: wiredChat(wiring),
    now: () => new Date(),
    logger: functionLogger('requestApproval'),
  });

export const handler = lambdaEntry(wire);
