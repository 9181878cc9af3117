import { type ApprovalRequestPorts, requestApproval, requestApprovalStep } from '../../src/approvals/index.ts';
import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { wiredReleaseStore } from '../../src/release/wiring.ts';
import { wiredApprovals, wiredChat } from '../../src/slack/wiring.ts';

/** `requestApproval` (.waitForTaskToken): stores the token under a short id and posts the approval message; the task waits for a decision. */
export function createRequestApprovalHandler(deps: ApprovalRequestPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const input = parseEvent(requestApprovalStep.input, event);
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
    logger: functionLogger('requestApproval', wiring.env),
  });

export const handler = lambdaEntry(wire);
