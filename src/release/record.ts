import type { StoredRelease, WaitingRelease } from './ports/release-store.ts';
import { pushOrder } from './push-order.ts';
import type { ReleaseRequest, ReleaseTarget } from './release.ts';

/** The key a target is locked and indexed by: `service#environment`. */
export function targetKey(target: Pick<ReleaseTarget, 'service' | 'environment'>): string {
  return `${target.service}#${target.environment}`;
}

/** A release's id: one per target and trigger (push event, GitHub delivery), so a redelivered one names the same release. */
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
    ...(request.source === undefined ? {} : { source: request.source }),
    repository: request.image.repository,
    tag: request.image.tag,
    digest: request.image.digest,
    image: request.image.uri,
    previousTaskDefinitionArn: request.currentTaskDefinitionArn,
    startedAt,
    outcome: 'RUNNING',
  };
}

/** The request as a candidate for its target's lock, ordered by when it was pushed (see push-order.ts). */
export function waitingReleaseFor(request: ReleaseRequest): WaitingRelease {
  return { releaseId: request.releaseId, tag: request.image.tag, at: request.trigger.at, order: pushOrder(request) };
}
