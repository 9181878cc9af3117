import type { ServiceDeployment, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { AwsServiceEmulator } from '../../../sandbox/aws/service.ts';
import { createEcsWorld, type EcsWorld, type EcsWorldOptions } from '../../../sandbox/ecs/index.ts';

// Helpers for the ECS world's tests: a world at test speed, a release done the
// way the deploy function does it (new revision with the image by digest,
// UpdateService), and polling of a service deployment until it settles.

/** Fast enough that a rolling deployment takes well under a second. */
export const TEST_TIME_FACTOR = 0.02;

export function testWorld(options: EcsWorldOptions = {}): EcsWorld {
  return createEcsWorld({ timeFactor: TEST_TIME_FACTOR, onError: (error) => console.error(error), ...options });
}

export async function call<T>(
  emulator: AwsServiceEmulator,
  operation: string,
  input: Record<string, unknown>,
): Promise<T> {
  return (await emulator.handle(operation, input)) as T;
}

/** Pushes `tag`, registers a revision of `family` running it by digest, and updates the service. */
export async function release(
  world: EcsWorld,
  tag: string,
  target = { cluster: 'sandbox', service: 'web', family: 'web', repository: 'demo/web' },
): Promise<{
  serviceDeploymentArn: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  imageUri: string;
}> {
  const pushed = await world.ecr.push(target.repository, tag);
  return updateImage(world, pushed.imageUri, target);
}

/** Registers a revision of the service's family with `image` and updates the service to it. */
export async function updateImage(
  world: EcsWorld,
  image: string,
  target = { cluster: 'sandbox', service: 'web', family: 'web' },
): Promise<{
  serviceDeploymentArn: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  imageUri: string;
}> {
  const { services } = await call<{ services: { taskDefinition: string }[] }>(world.ecs, 'DescribeServices', {
    cluster: target.cluster,
    services: [target.service],
  });
  const previous = services[0]?.taskDefinition ?? '';
  const { taskDefinition } = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'DescribeTaskDefinition', {
    taskDefinition: previous,
  });
  const containerDefinitions = (taskDefinition.containerDefinitions ?? []).map((c, i) =>
    i === 0 ? { ...c, image } : c,
  );
  const registered = await call<{ taskDefinition: TaskDefinition }>(world.ecs, 'RegisterTaskDefinition', {
    family: target.family,
    networkMode: taskDefinition.networkMode,
    requiresCompatibilities: taskDefinition.requiresCompatibilities,
    cpu: taskDefinition.cpu,
    memory: taskDefinition.memory,
    containerDefinitions,
  });
  const updated = await call<{ service: { currentServiceDeployment: string } }>(world.ecs, 'UpdateService', {
    cluster: target.cluster,
    service: target.service,
    taskDefinition: registered.taskDefinition.taskDefinitionArn,
  });
  return {
    serviceDeploymentArn: updated.service.currentServiceDeployment,
    taskDefinitionArn: registered.taskDefinition.taskDefinitionArn ?? '',
    previousTaskDefinitionArn: previous,
    imageUri: image,
  };
}

export async function describeDeployment(world: EcsWorld, arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments } = await call<{ serviceDeployments: ServiceDeployment[] }>(
    world.ecs,
    'DescribeServiceDeployments',
    {
      serviceDeploymentArns: [arn],
    },
  );
  const found = serviceDeployments[0];
  if (!found) throw new Error(`no service deployment ${arn}`);
  return found;
}

const SETTLED = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** Polls the deployment until `until` says so (default: a terminal status); returns every status seen, in order. */
export async function waitForDeployment(
  world: EcsWorld,
  arn: string,
  until: (deployment: ServiceDeployment) => boolean = (d) => SETTLED.has(d.status ?? ''),
  timeoutMs = 15_000,
): Promise<{ deployment: ServiceDeployment; statuses: string[] }> {
  const statuses: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deployment = await describeDeployment(world, arn);
    if (statuses.at(-1) !== deployment.status) statuses.push(deployment.status ?? '');
    if (until(deployment)) return { deployment, statuses };
    if (Date.now() > deadline)
      throw new Error(`deployment still ${deployment.status} after ${timeoutMs} ms (seen ${statuses.join(' → ')})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function stoppedTasks(world: EcsWorld, cluster = 'sandbox', serviceName = 'web'): Promise<Task[]> {
  const { taskArns } = await call<{ taskArns: string[] }>(world.ecs, 'ListTasks', {
    cluster,
    serviceName,
    desiredStatus: 'STOPPED',
  });
  if (taskArns.length === 0) return [];
  const { tasks } = await call<{ tasks: Task[] }>(world.ecs, 'DescribeTasks', { cluster, tasks: taskArns });
  return tasks;
}

/** The body of one request through a URL (the load balancer). */
export async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}
