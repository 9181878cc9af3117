import type { StoredRelease, WaitingRelease } from '../ports/release-store.ts';
import type { ReleaseRequest, ReleaseTarget } from './release.ts';

/** The key a target is locked and indexed by: `service#environment`. */
export function targetKey(target: Pick<ReleaseTarget, 'service' | 'environment'>): string {
  return `${target.service}#${target.environment}`;
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
 * when they happened, then by releaseId so two pushes in the same instant
 * still have one winner. The instant is normalised so that string order is
 * time order whatever ISO 8601 form the trigger used.
 */
export function waitingReleaseFor(request: ReleaseRequest): WaitingRelease {
  return {
    releaseId: request.releaseId,
    tag: request.image.tag,
    at: request.trigger.at,
    order: `${new Date(request.trigger.at).toISOString()}#${request.releaseId}`,
  };
}
