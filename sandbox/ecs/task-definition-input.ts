import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { readTags } from '../aws/tags.ts';

// RegisterTaskDefinition's input, checked as ECS checks it (ClientException
// with ECS's wording for the common mistakes) and normalised with the
// defaults DescribeTaskDefinition shows. Fields the sandbox does not
// interpret are kept as given.

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** The task-definition-level fields RegisterTaskDefinition accepts. */
const TASK_FIELDS = [
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const;

export interface TaskDefinitionInput {
  /** Everything but the ARN, revision, status and registration fields. */
  definition: TaskDefinition;
  tags: { key: string; value: string }[];
}

/** Reads and validates a RegisterTaskDefinition request; throws ClientException on what ECS rejects. */
export function readTaskDefinitionInput(reader: InputReader, fail: (message: string) => never): TaskDefinitionInput {
  const family = reader.optionalString('family') ?? '';
  if (!FAMILY.test(family)) {
    fail(
      'Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores are allowed.',
    );
  }
  const definition: TaskDefinition = { family };
  const raw = reader.value();
  for (const field of TASK_FIELDS) {
    if (raw[field] !== undefined && raw[field] !== null) Object.assign(definition, { [field]: raw[field] });
  }
  const networkMode = reader.optionalString('networkMode') ?? 'bridge';
  if (!['bridge', 'host', 'awsvpc', 'none'].includes(networkMode)) fail(`Invalid networkMode '${networkMode}'.`);
  definition.networkMode = networkMode as TaskDefinition['networkMode'];
  const compatibilities = reader.optionalStringArray('requiresCompatibilities') ?? [];
  const fargate = compatibilities.includes('FARGATE');
  if (fargate) {
    if (networkMode !== 'awsvpc') fail("Fargate only supports network mode 'awsvpc'.");
    if (!reader.has('cpu')) fail("Fargate requires that 'cpu' be defined at the task level.");
    if (!reader.has('memory')) fail("Fargate requires that 'memory' be defined at the task level.");
  }

  const containers = reader.objects('containerDefinitions');
  if (containers.length === 0) fail('Container list cannot be empty.');
  const names = new Set<string>();
  definition.containerDefinitions = containers.map((container) => {
    const definitionOf = readContainer(container, { networkMode, taskMemory: reader.has('memory') }, fail);
    const name = definitionOf.name ?? '';
    if (names.has(name))
      fail(`Duplicate container name '${name}': container names must be unique within a task definition.`);
    names.add(name);
    return definitionOf;
  });
  if (!definition.containerDefinitions.some((c) => c.essential)) {
    fail('Task definition must contain at least one essential container.');
  }
  definition.volumes ??= [];
  definition.placementConstraints ??= [];
  definition.compatibilities = networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'];
  return { definition, tags: readTags(reader) };
}

function readContainer(
  container: InputReader,
  task: { networkMode: string; taskMemory: boolean },
  fail: (message: string) => never,
): ContainerDefinition {
  const name = container.optionalString('name') ?? '';
  if (name === '') fail('Container.name should not be null or empty.');
  if (!CONTAINER_NAME.test(name)) fail(`Container name '${name}' contains invalid characters.`);
  const image = container.optionalString('image') ?? '';
  if (image.trim() === '') fail('Container.image should not be null or empty.');
  if (!task.taskMemory && !container.has('memory') && !container.has('memoryReservation')) {
    fail(`Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
  }
  const portMappings = container.objects('portMappings').map((mapping) => {
    const containerPort = mapping.optionalInteger('containerPort', 1, 65535);
    if (containerPort === undefined)
      fail(`Invalid setting for container '${name}': containerPort is required in portMappings.`);
    const hostPort = mapping.optionalInteger('hostPort', 0, 65535);
    if (task.networkMode === 'awsvpc' && hostPort !== undefined && hostPort !== containerPort) {
      fail('When networkMode=awsvpc, the host ports and container ports in port mappings must match.');
    }
    return {
      ...mapping.value(),
      containerPort,
      hostPort: hostPort ?? (task.networkMode === 'awsvpc' ? containerPort : 0),
      protocol: mapping.optionalString('protocol') === 'udp' ? ('udp' as const) : ('tcp' as const),
    };
  });
  const healthCheck = container.optionalObject('healthCheck');
  if (healthCheck) {
    const command = healthCheck.optionalStringArray('command') ?? [];
    if (command.length === 0 || !['CMD', 'CMD-SHELL', 'NONE'].includes(command[0] ?? '')) {
      fail(`Invalid setting for container '${name}': healthCheck.command must start with CMD, CMD-SHELL or NONE.`);
    }
  }
  for (const variable of container.objects('environment')) variable.string('name');
  for (const secret of container.objects('secrets')) {
    secret.string('name');
    secret.string('valueFrom');
  }
  return {
    ...container.value(),
    name,
    image,
    cpu: container.optionalNumber('cpu') ?? 0,
    essential: container.optionalBoolean('essential') ?? true,
    portMappings,
    environment: container.objects('environment').map((v) => v.value()),
    mountPoints: container.objects('mountPoints').map((v) => v.value()),
    volumesFrom: container.objects('volumesFrom').map((v) => v.value()),
  } as ContainerDefinition;
}
