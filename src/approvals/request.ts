import type { ChatPort } from '../platform/chat.ts';
import { TransientError } from '../platform/errors.ts';
import { errorText } from '../platform/message-text.ts';
import type { PostedMessage } from '../platform/notifier.ts';
import type { ReleaseRequest, ReleaseStore } from '../release/index.ts';
import type { CanaryQuestion } from './canary-question.ts';
import { approvalIdOf } from './id.ts';
import { composeApprovalMessage } from './messages.ts';
import type { Approval, ApprovalStore, LiveRelease } from './ports/approvals.ts';

/** What the approval task is given: the release, its execution, the thread notify opened, and the task token. */
export interface ApprovalRequestInput {
  request: ReleaseRequest;
  executionId: string;
  taskToken: string;
  notice?: { ts?: string; channel?: string };
  /** The task's TimeoutSeconds, so the message says when it ends; else the catalog's for this kind of approval. */
  timeoutSeconds?: number;
  /** Set when an inconclusive canary asks whether to continue or roll back. */
  canary?: CanaryQuestion;
}

/** What asking for an approval needs. */
export interface ApprovalRequestPorts {
  approvals: ApprovalStore;
  releases: Pick<ReleaseStore, 'listReleases'>;
  chat: ChatPort;
  now: () => Date;
}

// Enough records of one target to find its last successful release.
const RECENT = 25;

/**
 * Stores the task token under a short approval id and posts the approval
 * message (in the release's thread, also shown in the channel). A Slack
 * failure is a TransientError: the task's Retry asks again, same id.
 */
export async function requestApproval(
  input: ApprovalRequestInput,
  ports: ApprovalRequestPorts,
): Promise<{ approvalId: string; message: PostedMessage }> {
  const { request, executionId, taskToken, canary } = input;
  const now = ports.now();
  const timeoutSeconds = input.timeoutSeconds ?? defaultTimeoutSeconds(request, canary);
  const live = await lastGoodRelease(ports.releases, request);
  const approval: Approval = {
    approvalId: approvalIdOf(request.releaseId, canary),
    releaseId: request.releaseId,
    executionId,
    request,
    ...(canary ? { canary } : {}),
    ...(live ? { live } : {}),
    status: 'PENDING',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + timeoutSeconds * 1000).toISOString(),
  };
  await ports.approvals.open(approval, taskToken);
  const content = composeApprovalMessage({ ...approval, status: 'PENDING' });
  const threadTs = input.notice?.ts;
  let message: PostedMessage;
  try {
    message = await ports.chat.post({
      channel: (threadTs && input.notice?.channel) || request.target.slackChannel,
      ...content,
      ...(threadTs ? { threadTs, broadcast: true } : {}),
    });
  } catch (error) {
    throw new TransientError(`the approval message could not be posted: ${errorText(error)}`, { cause: error });
  }
  await ports.approvals.setMessage(approval.approvalId, message);
  return { approvalId: approval.approvalId, message };
}

function defaultTimeoutSeconds(request: ReleaseRequest, canary: CanaryQuestion | undefined): number {
  if (canary) return request.target.analysis?.askTimeoutSeconds ?? 1800;
  return request.target.approval?.timeoutSeconds ?? 3600;
}

/** The target's newest successful release other than this one: what runs there now. */
export async function lastGoodRelease(
  releases: Pick<ReleaseStore, 'listReleases'>,
  request: Pick<ReleaseRequest, 'releaseId' | 'target'>,
): Promise<LiveRelease | undefined> {
  const { service, environment } = request.target;
  const records = await releases.listReleases({ service, environment, limit: RECENT });
  const good = records.find((record) => record.outcome === 'SUCCEEDED' && record.releaseId !== request.releaseId);
  if (!good) return undefined;
  return {
    releaseId: good.releaseId,
    tag: good.tag,
    digest: good.digest,
    startedAt: good.startedAt,
    ...(good.endedAt ? { endedAt: good.endedAt } : {}),
  };
}
