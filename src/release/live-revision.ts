import { ContainerNotFoundError, ServiceNotFoundError } from '../platform/errors.ts';
import type { EcsPort, EcsService, ResourceTag, TaskDefinition } from './ports/ecs.ts';
import type { ImageRef, ReleaseTarget } from './release.ts';
import { containerNames, revisionName } from './task-definition.ts';

/** What a target's service runs now. */
export interface LiveRevision {
  taskDefinition: TaskDefinition;
  tags: ResourceTag[];
  /** The image of the catalog's container in that revision. */
  image: string | undefined;
  /** The service's newest service deployment, if ECS reports one. */
  serviceDeploymentArn: string | undefined;
  /** The service as ECS described it. */
  service: EcsService;
}

type Target = Pick<ReleaseTarget, 'service' | 'environment' | 'cluster' | 'ecsService' | 'container'>;

/** The revision a target's ECS service runs and its container's image; the service must be ACTIVE. */
export async function readLiveRevision(
  ecs: Pick<EcsPort, 'describeService' | 'describeTaskDefinition'>,
  target: Target,
  options: { withTags?: boolean } = {},
): Promise<LiveRevision> {
  const where = `ECS service ${target.ecsService} in cluster ${target.cluster} (catalog ${target.service}/${target.environment})`;
  const service = await ecs.describeService(target.cluster, target.ecsService);
  if (service === undefined) throw new ServiceNotFoundError(`${where} does not exist`);
  if (service.status !== 'ACTIVE') throw new ServiceNotFoundError(`${where} is ${service.status}, not ACTIVE`);
  if (service.taskDefinitionArn === undefined) {
    throw new ServiceNotFoundError(`${where} has no task definition: its deployments are not controlled by ECS`);
  }
  const { taskDefinition, tags } = await ecs.describeTaskDefinition(service.taskDefinitionArn, options);
  const container = taskDefinition.containerDefinitions.find((definition) => definition.name === target.container);
  if (container === undefined) {
    throw new ContainerNotFoundError(
      `task definition ${revisionName(taskDefinition)} of ${where} has no container named "${target.container}" (it has: ${containerNames(taskDefinition)})`,
    );
  }
  return {
    taskDefinition,
    tags,
    image: container.image,
    serviceDeploymentArn: service.currentServiceDeploymentArn,
    service,
  };
}

/** Why there is nothing to deploy, if the service already runs the image: `sha256:… is already live in web:41`. */
export function alreadyLive(live: LiveRevision, image: Pick<ImageRef, 'uri' | 'digest'>): string | undefined {
  return runsImage(live.image, image)
    ? `${image.digest} is already live in ${revisionName(live.taskDefinition)}`
    : undefined;
}

// The same URI, or the same digest under another name (e.g. a pull-through alias).
function runsImage(image: string | undefined, ref: Pick<ImageRef, 'uri' | 'digest'>): boolean {
  return image !== undefined && (image === ref.uri || image.endsWith(`@${ref.digest}`));
}
