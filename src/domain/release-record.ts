import type { StoredRelease, WaitingRelease } from '../ports/release-store.ts';
import type { ReleaseRequest, ReleaseTarget } from './release.ts';

/** The key a target is locked and indexed by: `service#environment`. */
export function targetKey(target: Pick<ReleaseTarget, 'service' | 'environment'>): string {
  return `${target.service}#${target.environment}`;
}

/** A release's id: one per target and push event, so a redelivered event names the same release. */
export function releaseIdFor(target: Pick<ReleaseTarget, 'service' | 'environment'>, eventId: string): string {
  return `${target.service}-${target.environment}-${eventId}`;
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
    repository: request.image.repository,
    tag: request.image.tag,
    digest: request.image.digest,
    image: request.image.uri,
    previousTaskDefinitionArn: request.currentTaskDefinitionArn,
    startedAt,
    outcome: 'RUNNING',
  };
}

/**
 * The request as a candidate for its target's lock. Pushes are ordered by
 * when they happened; EventBridge gives that to the second, so pushes in the
 * same second are ordered by when they were first claimed (arrival order, in
 * milliseconds; `claimedAt` is the record's startedAt, fixed at the first
 * claim), then by releaseId so there is always one winner. Instants are
 * normalised so that string order is time order.
 */
export function waitingReleaseFor(request: ReleaseRequest, claimedAt: string): WaitingRelease {
  const instant = (iso: string) => new Date(iso).toISOString();
  return {
    releaseId: request.releaseId,
    tag: request.image.tag,
    at: request.trigger.at,
    order: `${instant(request.trigger.at)}#${instant(claimedAt)}#${request.releaseId}`,
  };
}
