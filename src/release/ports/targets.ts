import type { PortFor, TargetAccess } from '../../platform/target-access.ts';
import type { StabilityQuery } from '../rollout-state.ts';

export type { PortFor } from '../../platform/target-access.ts';

/** Whether a target's role can be assumed now: rejects with TargetAccessError naming the role and why. */
export type ReachCheck = (access: TargetAccess, who: string) => Promise<void>;

/** Who looks at a service deployment: the release that waits on it, else the rotation that rolls it. */
export function sessionOf(query: Pick<StabilityQuery, 'releaseId' | 'control' | 'rotationLease'>): string {
  return query.releaseId ?? query.control?.releaseId ?? query.rotationLease?.rotationId ?? 'release-automation';
}

/** A step's ports with its ECS port for any target: the handler picks the one its request's target names. */
export type EcsForTargets<P extends { ecs: unknown }> = Omit<P, 'ecs'> & { ecsFor: PortFor<P['ecs']> };
