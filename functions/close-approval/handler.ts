import { type ApprovalClosePorts, closeApproval, closeApprovalStep } from '../../src/approvals/index.ts';
import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { wiredApprovals, wiredChat } from '../../src/slack/wiring.ts';

/** `closeApproval`: `{ request, error }` of a release not approved (rejected or timed out) → `{ approvalId, verdict, reason }`. */
export function createCloseApprovalHandler(deps: ApprovalClosePorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown) => {
    const closed = await closeApproval(parseEvent(closeApprovalStep.input, event), deps);
    logger.info('approval closed', { ...closed });
    return closed;
  });
}

/** `closeApproval` over Slack and the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) => {
  const logger = functionLogger('closeApproval', wiring.env);
  return createCloseApprovalHandler({
    approvals: wiredApprovals(wiring),
    chat: wiredChat(wiring),
    now: () => new Date(),
    warn: (message) => logger.warn(message),
    logger,
  });
};

export const handler = lambdaEntry(wire);
