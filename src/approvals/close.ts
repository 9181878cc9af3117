import type { ChatPort } from '../platform/chat.ts';
import type { CaughtError, ReleaseRequest } from '../release/index.ts';
import type { CanaryQuestion } from './canary-question.ts';
import { showDecision } from './decision.ts';
import { approvalIdOf } from './id.ts';
import type { ApprovalStore } from './ports/approvals.ts';

/** What the state machine hands on when the approval task ended without an approval. */
export interface ApprovalCloseInput {
  request: ReleaseRequest;
  /** The approval task's Catch result: States.Timeout, or ApprovalRejected with who and why. */
  error: CaughtError;
  /** Set when the approval was an inconclusive canary's question (not continued: it rolls back). */
  canary?: CanaryQuestion;
}

/** Why the release is not going out, for its record (finish's reason). */
export interface ApprovalClosed {
  approvalId: string;
  verdict: 'REJECTED' | 'EXPIRED';
  reason: string;
}

/** What closing needs. */
export interface ApprovalClosePorts {
  approvals: ApprovalStore;
  chat: ChatPort;
  now: () => Date;
  warn?: (message: string) => void;
}

/**
 * Ends an approval that was not given: a pending one (the task timed out)
 * becomes EXPIRED by conditional write, recorded on the release; the message
 * is updated either way. Safe to repeat.
 */
export async function closeApproval(input: ApprovalCloseInput, ports: ApprovalClosePorts): Promise<ApprovalClosed> {
  const approvalId = approvalIdOf(input.request.releaseId, input.canary);
  const not = input.canary ? 'not continued' : 'not approved';
  const at = ports.now().toISOString();
  let approval = await ports.approvals.read(approvalId);
  if (approval?.status === 'PENDING') {
    const expired = await ports.approvals.decide(approvalId, { status: 'EXPIRED', by: 'timeout', at });
    if (expired.decided) {
      await ports.approvals.forgetToken(approvalId);
      await ports.approvals.recordDecision(input.request.releaseId, {
        approvalId,
        verdict: 'EXPIRED',
        by: 'timeout',
        at,
      });
      approval = { ...approval, status: 'EXPIRED', decidedBy: 'timeout', decidedAt: at };
    } else {
      approval = expired.current;
    }
  }
  if (approval) await showDecision(ports, approval);
  if (approval?.status === 'REJECTED') {
    const why = approval.reason ? `: ${approval.reason}` : '';
    return {
      approvalId,
      verdict: 'REJECTED',
      reason: `${not}: rejected by ${approval.decidedBy ?? 'someone'} at ${approval.decidedAt ?? at}${why}`,
    };
  }
  const timedOut = input.error.Error === 'States.Timeout';
  return {
    approvalId,
    verdict: 'EXPIRED',
    reason: timedOut
      ? `${not}: nobody ${input.canary ? 'answered' : 'approved it'} before ${approval?.expiresAt ?? at}`
      : `${not}: ${input.error.Error}`,
  };
}
