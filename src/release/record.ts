import type { KeptAnalysis } from './kept-analyses.ts';
import type { StoredRelease, WaitingRelease } from './ports/release-store.ts';
import { pushOrder } from './push-order.ts';
import type { GitHubReleaseSource, ReleaseRequest, ReleaseTarget, Trigger } from './release.ts';
import type { ControlRequest } from './rollout-state.ts';
import type { ScanSummary } from './scan-gate.ts';

/** The key a target is locked and indexed by: `service#environment`. */
export function targetKey(target: Pick<ReleaseTarget, 'service' | 'environment'>): string {
  return `${target.service}#${target.environment}`;
}

/** A release's id: one per target and trigger (image push, GitHub delivery), so a redelivered one names the same release. */
export function releaseIdFor(target: Pick<ReleaseTarget, 'service' | 'environment'>, eventId: string): string {
  return `${target.service}-${target.environment}-${eventId}`;
}

/**
 * The key of an image's first push: its digest, which the push event and the
 * push reconciler (reading ECR, not the event) both know, so whichever starts
 * the release first, the other's is a DUPLICATE of it.
 */
export function pushReleaseKey(digest: string): string {
  return digest.replace(':', '-');
}

/** The record of a release as this execution starts it. */
export function releaseRecordFor(request: ReleaseRequest, executionId: string, startedAt: string): StoredRelease {
  return {
    releaseId: request.releaseId,
    executionId,
    target: targetKey(request.target),
    service: request.target.service,
    environment: request.target.environment,
    trigger: request.trigger,
    ...(request.source === undefined ? {} : { source: request.source }),
    repository: request.image.repository,
    tag: request.image.tag,
    digest: request.image.digest,
    image: request.image.uri,
    previousTaskDefinitionArn: request.currentTaskDefinitionArn,
    ...(request.scan === undefined ? {} : { scan: request.scan }),
    ...(request.requestedBy === undefined ? {} : { requestedBy: request.requestedBy }),
    ...(request.hotfix ? { hotfix: true } : {}),
    startedAt,
    outcome: 'RUNNING',
  };
}

/** The request as a candidate for its target's lock, ordered by when it was pushed (see push-order.ts). */
export function waitingReleaseFor(request: ReleaseRequest): WaitingRelease {
  return { releaseId: request.releaseId, tag: request.image.tag, at: request.trigger.at, order: pushOrder(request) };
}

/** An analysis as the release record keeps it: the verdict and its reason, without the per-metric figures. */
export interface AnalysisSummary {
  verdict: string;
  decision: string;
  reason: string;
  window: { start: string; end: string };
}

// Each list is both a type and its schema's values (schemas.ts).

/** Where a release stands: RUNNING until it ends, then how it ended. */
export const RELEASE_OUTCOMES = [
  'RUNNING',
  'SUCCEEDED',
  'NOOP',
  'SUPERSEDED',
  'FAILED',
  'ROLLED_BACK',
  'ROLLBACK_FAILED',
  // The approval was refused or timed out: nothing was deployed.
  'NOT_APPROVED',
  // Its execution stopped before the release finished (StopExecution, its timeout, a failure no Catch saw): see abandon.ts.
  'ABANDONED',
] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

/** The durable record of one release, read by status, history and delivery metrics. */
export interface ReleaseRecord {
  releaseId: string;
  executionId: string;
  service: string;
  environment: string;
  trigger: Trigger;
  /** For a release from a GitHub release: its facts. */
  source?: GitHubReleaseSource;
  repository: string;
  tag: string;
  digest: string;
  image: string;
  previousTaskDefinitionArn?: string;
  taskDefinitionArn?: string;
  startedAt: string;
  endedAt?: string;
  outcome: ReleaseOutcome;
  reason?: string;
  /** A native release's last analysis. */
  analysis?: AnalysisSummary;
  /** A native release's analyses with their figures, oldest first: the newest MAX_KEPT_ANALYSES (kept-analyses.ts). */
  analyses?: KeptAnalysis[];
  /** How many analyses were recorded, dropped ones included. */
  analysesRecorded?: number;
  /** A promote or abort someone asked for. */
  control?: ControlRequest;
  /** Every approval decision on this release: who, when, what. */
  decisions?: ApprovalDecisionRecord[];
  /** What ECR's scan found and how the environment's scan gate counted it (gated environments only). */
  scan?: ScanSummary;
  /** Who asked for it (Slack), when a person did. */
  requestedBy?: { name: string; slackUserId?: string };
  /** `/release deploy --hotfix` or `/release rollback`: it remediates the target's release before it (the four keys). */
  hotfix?: boolean;
  /** When the change was made, as the image says (finish reads it), for lead time; and where it was read. */
  commitAt?: string;
  commitAtFrom?: string;
}

/** What a person (or the clock) decided about a release's approval. */
export const APPROVAL_VERDICTS = ['APPROVED', 'REJECTED', 'EXPIRED'] as const;
export type ApprovalVerdict = (typeof APPROVAL_VERDICTS)[number];

/** One decision, as the release record keeps it. */
export interface ApprovalDecisionRecord {
  approvalId: string;
  verdict: ApprovalVerdict;
  /** The Slack user id, or `timeout`. */
  by: string;
  at: string;
  reason?: string;
}
