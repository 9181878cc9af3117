import type { EcsPort, NativeRollout } from './ports/ecs.ts';
import type { ReleaseTarget } from './release.ts';

type Service = Pick<ReleaseTarget, 'cluster' | 'ecsService'>;

/** When a change to a target's service begun at `startedAt` must be stable by (ISO 8601). */
export function stabilityDeadline(target: Pick<ReleaseTarget, 'stabilityDeadlineSeconds'>, startedAt: Date): string {
  return new Date(startedAt.getTime() + target.stabilityDeadlineSeconds * 1000).toISOString();
}

/**
 * Points a target's service at a revision (with a native strategy's settings,
 * if given) and returns the service deployment ECS started for it: the one
 * UpdateService names, else the service's newest (UpdateService does not
 * always name it). Undefined when ECS reports none.
 */
export async function pointServiceAt(
  ecs: Pick<EcsPort, 'updateService' | 'latestServiceDeployment'>,
  target: Service,
  taskDefinitionArn: string,
  rollout?: NativeRollout,
): Promise<string | undefined> {
  const update = await ecs.updateService(target.cluster, target.ecsService, taskDefinitionArn, rollout);
  return update.serviceDeploymentArn ?? (await ecs.latestServiceDeployment(target.cluster, target.ecsService));
}
