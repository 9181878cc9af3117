import { approvalIdFor, approvalIdOf, canaryApprovalIdFor, isApprovalId } from '../../../src/approvals/id.ts';
import { composeApprovalMessage } from '../../../src/approvals/messages.ts';
import { releaseRequest } from '../../support/release-request.ts';

// The second kind of approval: an inconclusive canary asks whether to continue.

const request = releaseRequest({ tag: 'v7' });
const canary = {
  reason: 'error rate not judged: 3 canary and 71 baseline requests, 100 needed on each side.',
  metrics: [{ metric: 'error-rate', verdict: 'no-data', reason: '3 canary and 71 baseline requests <*@here*>' }],
  analysedUntil: '2026-11-21T10:20:00.000Z',
};
const pending = {
  approvalId: canaryApprovalIdFor(request.releaseId, canary.analysedUntil),
  request,
  canary,
  expiresAt: '2026-11-21T10:50:00.000Z',
  status: 'PENDING' as const,
};

describe('an inconclusive canary’s question', () => {
  it('has an id of its own per analysis, never the release approval’s', () => {
    const first = canaryApprovalIdFor(request.releaseId, canary.analysedUntil);
    const later = canaryApprovalIdFor(request.releaseId, '2026-11-21T10:25:00.000Z');
    expect(isApprovalId(first)).toBe(true);
    expect(new Set([first, later, approvalIdFor(request.releaseId)]).size).toBe(3);
    expect(approvalIdOf(request.releaseId, canary)).toBe(first);
    expect(approvalIdOf(request.releaseId)).toBe(approvalIdFor(request.releaseId));
  });

  it('shows the analysis’s reason and each metric’s values, with Continue and Roll back buttons', () => {
    const message = composeApprovalMessage(pending);
    expect(message.text).toBe(
      `Canary inconclusive: the canary of web v7 on staging: error rate not judged: 3 canary and 71 baseline requests, 100 needed on each side. Continue or roll back? (approval ${pending.approvalId})`,
    );
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain('"text":"Continue"');
    expect(blocks).toContain('"text":"Roll back"');
    expect(blocks).toContain('*error-rate* no-data: 3 canary and 71 baseline requests');
    // Slack markup in a metric's text is shown, not acted on.
    expect(blocks).not.toContain('<*@here*>');
  });

  it('says what each answer did, without buttons', () => {
    const decided = { decidedBy: 'U0APPROVER', decidedAt: '2026-11-21T10:21:00.000Z' };
    expect(composeApprovalMessage({ ...pending, ...decided, status: 'APPROVED' }).text).toBe(
      'Continued by <@U0APPROVER>: the canary of web v7 on staging',
    );
    expect(composeApprovalMessage({ ...pending, ...decided, status: 'REJECTED' }).text).toBe(
      'Rolled back by <@U0APPROVER>: the canary of web v7 on staging',
    );
    const expired = composeApprovalMessage({ ...pending, status: 'EXPIRED', decidedBy: 'timeout' });
    expect(expired.text).toBe('Expired: nobody answered for the canary of web v7 on staging; rolled back');
    expect(JSON.stringify(expired.blocks)).not.toContain('"actions"');
  });
});
