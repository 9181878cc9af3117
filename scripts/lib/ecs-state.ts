// What ECS says about a service, read through the ECS API as any AWS tool
// would: the revision it runs, that revision's image, and how many revisions
// and service deployments (one per UpdateService) there have been.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';

export interface LiveRevision {
  taskDefinitionArn: string;
  /** The first container's image, e.g. `000000000000.dkr.ecr.us-east-1.localhost/demo/web@sha256:…`. */
  image: string;
}

export async function liveRevision(ecs: ECSClient, service: string, cluster = 'sandbox'): Promise<LiveRevision> {
  const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const taskDefinitionArn = services[0]?.taskDefinition;
  if (!taskDefinitionArn) throw new Error(`service ${service} not found in cluster ${cluster}`);
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
  return { taskDefinitionArn, image: taskDefinition?.containerDefinitions?.[0]?.image ?? '' };
}

/** Revisions registered in a task definition family (each release registers one). */
export async function revisionCount(ecs: ECSClient, family: string): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, nextToken }));
    count += page.taskDefinitionArns?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

/** Service deployments of a service: CreateService made the first, each UpdateService to a new revision one more. */
export async function serviceDeploymentCount(ecs: ECSClient, service: string, cluster = 'sandbox'): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, nextToken }));
    count += page.serviceDeployments?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

/** `…/demo/web@sha256:abc…` → `sha256:abc…`. */
export const digestOfImage = (image: string) => image.slice(image.indexOf('@') + 1);
