import type { ChatPort } from '../platform/chat.ts';
import { showDecision } from './decision.ts';
import { approvalIdFor } from './id.ts';
import { WITHDRAWN_BY } from './messages.ts';
import type { ApprovalStore } from './ports/approvals.ts';

/** What withdrawing needs. */
export interface ApprovalWithdrawPorts {
  approvals: ApprovalStore;
  chat: ChatPort;
  now: () => Date;
  warn?: (message: string) => void;
}

/**
 * Withdraws the pending approval of a release whose execution stopped before
 * anyone decided: it becomes EXPIRED (by conditional write: a decision that
 * got in first stands), its token is dropped, the release's record says so,
 * and the message loses its buttons and says why. Nothing for a release that
 * asked nothing or was decided. Safe to repeat.
 */
export async function withdrawApproval(
  releaseId: string,
  reason: string,
  ports: ApprovalWithdrawPorts,
): Promise<boolean> {
  const approvalId = approvalIdFor(releaseId);
  const approval = await ports.approvals.read(approvalId);
  if (approval?.status !== 'PENDING') return false;
  const at = ports.now().toISOString();
  const decided = await ports.approvals.decide(approvalId, { status: 'EXPIRED', by: WITHDRAWN_BY, at, reason });
  if (!decided.decided) return false;
  await ports.approvals.forgetToken(approvalId);
  await ports.approvals.recordDecision(releaseId, { approvalId, verdict: 'EXPIRED', by: WITHDRAWN_BY, at });
  await showDecision(ports, { ...approval, status: 'EXPIRED', decidedBy: WITHDRAWN_BY, decidedAt: at, reason });
  return true;
}
