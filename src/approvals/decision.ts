import { type Catalog, catalogTarget } from '../catalog/index.ts';
import type { ChatPort } from '../platform/chat.ts';
import type { ChatReply } from '../platform/chat-reply.ts';
import { escapeText, type ReleaseWorkflow } from '../release/index.ts';
import { isOneOf, principalsFor, twoPersonRuleHolds } from './authorization.ts';
import { isApprovalId } from './id.ts';
import { composeApprovalMessage } from './messages.ts';
import type { Approval, ApprovalDecision, ApprovalStore } from './ports/approvals.ts';

/** The Step Functions error a rejected approval task fails with (the ASL's Catch names it). */
export const APPROVAL_REJECTED = 'ApprovalRejected';

/** A person's answer to an approval. */
export interface ApprovalAnswer {
  approvalId: string;
  verdict: 'APPROVED' | 'REJECTED';
  /** The Slack user id, from Slack's signed request. */
  user: string;
  reason?: string;
}

/** What deciding needs. */
export interface ApprovalDecisionPorts {
  approvals: ApprovalStore;
  chat: ChatPort;
  workflow: Pick<ReleaseWorkflow, 'approve' | 'reject'>;
  catalog: Catalog;
  now: () => Date;
  /** Told when updating the message failed (the decision itself stands). */
  warn?: (message: string) => void;
}

/**
 * Approves or rejects a pending approval: only an approver of the
 * environment, never (under the two-person rule) the one who asked; the first
 * decision wins by conditional write, and only it answers the waiting task.
 */
export async function decideApproval(answer: ApprovalAnswer, ports: ApprovalDecisionPorts): Promise<ChatReply> {
  const { approvalId, verdict, user } = answer;
  const unknown = { text: `There is no approval \`${escapeText(approvalId)}\`.` };
  if (!isApprovalId(approvalId)) return unknown;
  const approval = await ports.approvals.read(approvalId);
  if (!approval) return unknown;
  if (approval.status !== 'PENDING') return { text: alreadyDecided(approval) };
  const now = ports.now();
  if (now.toISOString() >= approval.expiresAt)
    return { text: `Approval \`${approvalId}\` expired at ${approval.expiresAt}.` };

  const refusal = await refuse(answer, approval, ports);
  if (refusal) return { text: refusal };

  const decision: ApprovalDecision = {
    status: verdict,
    by: user,
    at: now.toISOString(),
    ...(answer.reason ? { reason: answer.reason } : {}),
  };
  const decided = await ports.approvals.decide(approvalId, decision);
  if (!decided.decided) return { text: alreadyDecided(decided.current) };

  let delivered: Awaited<ReturnType<ReleaseWorkflow['approve']>>;
  try {
    delivered =
      verdict === 'APPROVED'
        ? await ports.workflow.approve(decided.taskToken, { verdict, by: user, at: decision.at })
        : await ports.workflow.reject(decided.taskToken, APPROVAL_REJECTED, rejectionCause(decision));
  } catch (error) {
    // Step Functions did not get the answer: the approval is open again for anyone to give it.
    await ports.approvals.reopen(approvalId, decision);
    throw error;
  }
  await ports.approvals.forgetToken(approvalId);
  if (delivered === 'EXPIRED') {
    await ports.approvals.reopen(approvalId, decision);
    await ports.approvals.decide(approvalId, { status: 'EXPIRED', by: 'timeout', at: decision.at });
    await ports.approvals.recordDecision(approval.releaseId, {
      approvalId,
      verdict: 'EXPIRED',
      by: 'timeout',
      at: decision.at,
    });
    await showDecision(ports, { ...approval, status: 'EXPIRED', decidedAt: decision.at });
    return { text: `Approval \`${approvalId}\` expired: its release is no longer waiting.` };
  }
  await ports.approvals.recordDecision(approval.releaseId, {
    approvalId,
    verdict,
    by: user,
    at: decision.at,
    ...(answer.reason ? { reason: answer.reason } : {}),
  });
  await showDecision(ports, {
    ...approval,
    status: verdict,
    decidedBy: user,
    decidedAt: decision.at,
    ...(answer.reason ? { reason: answer.reason } : {}),
  });
  return { text: answered(approval, verdict), public: true };
}

function answered(approval: Approval, verdict: ApprovalAnswer['verdict']): string {
  const release = `${escapeText(approval.request.target.service)} \`${escapeText(approval.request.image.tag)}\``;
  const what = `${release} to ${escapeText(approval.request.target.environment)}`;
  if (approval.canary) {
    const canary = `the canary of ${release} on ${escapeText(approval.request.target.environment)}`;
    return verdict === 'APPROVED' ? `Continuing ${canary}.` : `Rolling back ${canary}.`;
  }
  return verdict === 'APPROVED'
    ? `Approved ${what}; it is being released.`
    : `Rejected ${what}; it will not be released.`;
}

async function refuse(
  answer: ApprovalAnswer,
  approval: Approval,
  ports: ApprovalDecisionPorts,
): Promise<string | undefined> {
  const { service, environment } = approval.request.target;
  const where = `${escapeText(service)}/${escapeText(environment)}`;
  const rights = catalogTarget(ports.catalog, service, environment);
  if (!rights) return `${where} is no longer in the service catalog; nobody can decide this approval.`;
  const asker = approval.request.requestedBy?.slackUserId;
  const approver = await isOneOf(answer.user, principalsFor('approve', rights), ports.chat);
  // Whoever asked may always withdraw their own release.
  if (answer.verdict === 'REJECTED' && asker === answer.user) return undefined;
  // Rolling a canary back is what `/release rollback` lets its holders do anyway; continuing it is an approver's call.
  if (answer.verdict === 'REJECTED' && approval.canary && !approver) {
    if (await isOneOf(answer.user, principalsFor('rollback', rights), ports.chat)) return undefined;
  }
  if (!approver) return `You are not an approver of ${where}.`;
  if (answer.verdict === 'APPROVED' && asker === answer.user && twoPersonRuleHolds(environment, rights)) {
    return `You asked for this release; under the two-person rule someone else must approve it.`;
  }
  return undefined;
}

function alreadyDecided(approval: Approval): string {
  if (approval.status === 'EXPIRED')
    return `Approval \`${approval.approvalId}\` expired${approval.decidedAt ? ` at ${approval.decidedAt}` : ''}.`;
  const how = approval.status === 'APPROVED' ? 'approved' : 'rejected';
  return `Approval \`${approval.approvalId}\` was already ${how} by <@${escapeText(approval.decidedBy ?? 'someone')}> at ${approval.decidedAt ?? 'an earlier time'}.`;
}

function rejectionCause(decision: ApprovalDecision): string {
  return `rejected by ${decision.by} at ${decision.at}${decision.reason ? `: ${decision.reason}` : ''}`;
}

/** Updates the approval message in place; a chat failure is told, not thrown (the decision is already made). */
export async function showDecision(
  ports: Pick<ApprovalDecisionPorts, 'chat' | 'warn'>,
  approval: Approval,
): Promise<void> {
  if (!approval.message) return;
  try {
    await ports.chat.update({ ...approval.message, ...composeApprovalMessage(approval) });
  } catch (error) {
    ports.warn?.(
      `the approval message of ${approval.approvalId} could not be updated: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
