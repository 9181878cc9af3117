import { describe, expect, it } from '@jest/globals';
import { approvalIdFor } from '../../../src/approvals/id.ts';
import type { Approval, ApprovalDecision, ApprovalStore } from '../../../src/approvals/ports/approvals.ts';
import { withdrawApproval } from '../../../src/approvals/withdraw.ts';
import type { ChatPort, MessageEdit } from '../../../src/platform/chat.ts';
import type { ApprovalDecisionRecord } from '../../../src/release/index.ts';
import { releaseRequest } from '../../support/release-request.ts';

const request = releaseRequest({ environment: 'production', tag: 'v2', at: '2026-12-06T07:00:00Z' });
const { releaseId } = request;
const approvalId = approvalIdFor(releaseId);
const pendingApproval = (changes: Partial<Approval> = {}): Approval => ({
  approvalId,
  releaseId,
  executionId: 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:x',
  request,
  status: 'PENDING',
  createdAt: '2026-12-06T07:00:00.000Z',
  expiresAt: '2026-12-06T09:00:00.000Z',
  message: { channel: 'C0RELEASES1', ts: '1700000000.000100' },
  ...changes,
});

// A release stopped while it waits for its approval: `abandon` withdraws the
// approval, so its message stops offering buttons that would answer nothing.

/** An approval store in memory, with the conditional decision the DynamoDB one makes. */
function memoryApprovals(initial?: Approval) {
  const approvals = new Map<string, Approval>(initial ? [[initial.approvalId, initial]] : []);
  const tokens = new Set(initial ? [initial.approvalId] : []);
  const decisions: ApprovalDecisionRecord[] = [];
  const store: ApprovalStore = {
    async open() {},
    async read(id) {
      return approvals.get(id);
    },
    async setMessage() {},
    async decide(id, decision: ApprovalDecision) {
      const current = approvals.get(id);
      if (current === undefined) throw new Error(`no approval ${id}`);
      if (current.status !== 'PENDING') return { decided: false, current };
      approvals.set(id, { ...current, status: decision.status, decidedBy: decision.by, decidedAt: decision.at });
      return { decided: true, taskToken: 'token' };
    },
    async reopen() {},
    async forgetToken(id) {
      tokens.delete(id);
    },
    async recordDecision(_releaseId, decision) {
      decisions.push(decision);
    },
  };
  return { store, approvals, tokens, decisions };
}

function recordingChat(failing = false) {
  const edits: MessageEdit[] = [];
  const chat: ChatPort = {
    async post() {
      return { channel: 'C0RELEASES1', ts: '1' };
    },
    async update(edit) {
      if (failing) throw new Error('An API error occurred: service_unavailable');
      edits.push(edit);
    },
    async postEphemeral() {},
    async groupMembers() {
      return [];
    },
  };
  return { chat, edits };
}

const now = () => new Date('2026-12-06T08:00:00Z');
const REASON = 'execution x ABORTED at 2026-12-06T08:00:00.000Z before the release finished';

describe('withdrawApproval', () => {
  it('expires a pending approval, drops its token, records it and takes the buttons off its message', async () => {
    const memory = memoryApprovals(pendingApproval());
    const { chat, edits } = recordingChat();

    const warn = (message: string) => {
      throw new Error(message);
    };
    expect(await withdrawApproval(releaseId, REASON, { approvals: memory.store, chat, now, warn })).toBe(true);

    expect(memory.approvals.get(approvalId)).toMatchObject({ status: 'EXPIRED', decidedBy: 'release stopped' });
    expect(memory.tokens.has(approvalId)).toBe(false);
    expect(memory.decisions).toEqual([
      { approvalId, verdict: 'EXPIRED', by: 'release stopped', at: '2026-12-06T08:00:00.000Z' },
    ]);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.text).toBe('Withdrawn: web v2 to production stopped before anyone decided');
    const blocks = JSON.stringify(edits[0]?.blocks);
    expect(blocks).not.toContain('"type":"actions"');
    expect(blocks).toContain(REASON);
    expect(blocks).not.toContain('<@release stopped>');
  });

  it('leaves a decided approval as it was, and does nothing for a release that asked nothing', async () => {
    const decided = memoryApprovals(pendingApproval({ status: 'APPROVED', decidedBy: 'U0APPROVER' }));
    const { chat, edits } = recordingChat();
    expect(await withdrawApproval(releaseId, REASON, { approvals: decided.store, chat, now })).toBe(false);
    expect(decided.approvals.get(approvalId)?.status).toBe('APPROVED');
    expect(await withdrawApproval('another-release', REASON, { approvals: decided.store, chat, now })).toBe(false);
    expect(edits).toEqual([]);
    expect(decided.decisions).toEqual([]);
  });

  it('withdraws once when asked twice (the event retried)', async () => {
    const memory = memoryApprovals(pendingApproval());
    const { chat, edits } = recordingChat();
    await withdrawApproval(releaseId, REASON, { approvals: memory.store, chat, now });
    expect(await withdrawApproval(releaseId, REASON, { approvals: memory.store, chat, now })).toBe(false);
    expect(edits).toHaveLength(1);
    expect(memory.decisions).toHaveLength(1);
  });

  it('still withdraws when Slack is down, and says the message was not updated', async () => {
    const memory = memoryApprovals(pendingApproval());
    const { chat } = recordingChat(true);
    const warnings: string[] = [];
    const ports = { approvals: memory.store, chat, now, warn: (message: string) => warnings.push(message) };
    expect(await withdrawApproval(releaseId, REASON, ports)).toBe(true);
    expect(memory.approvals.get(approvalId)?.status).toBe('EXPIRED');
    expect(warnings).toEqual([expect.stringContaining(`approval message of ${approvalId} could not be updated`)]);
  });
});
