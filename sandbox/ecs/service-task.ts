import { clone } from '../aws/clone.ts';
import { Task, type TaskContainer } from '../tasks/task.ts';
import { newTaskId } from './arn.ts';
import type { RollingDeployment, ServiceRecord } from './service-model.ts';
import type { EcsState } from './state.ts';

// A new task of a service's deployment, built from its revision's task definition.

export function newServiceTask(state: EcsState, service: ServiceRecord, deployment: RollingDeployment): Task {
  const { definition, tags } = state.taskDefinitions.require(deployment.revision.taskDefinitionArn);
  const id = newTaskId();
  const cluster = service.cluster;
  const containers: TaskContainer[] = (definition.containerDefinitions ?? []).map((c, index) => {
    const healthCheck = c.healthCheck && c.healthCheck.command?.[0] !== 'NONE' ? clone(c.healthCheck) : undefined;
    const container: TaskContainer = {
      name: c.name ?? `container-${index}`,
      arn: state.arns.container(cluster.name, id),
      runtimeId: `${id}-${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}`,
      image: c.image ?? '',
      essential: c.essential ?? true,
      environment: Object.fromEntries((c.environment ?? []).map((v) => [v.name ?? '', v.value ?? ''])),
      secrets: (c.secrets ?? []).map((s) => ({ name: s.name ?? '', valueFrom: s.valueFrom ?? '' })),
      lastStatus: 'PENDING',
      healthStatus: 'UNKNOWN',
    };
    const containerPort = c.portMappings?.[0]?.containerPort;
    if (containerPort !== undefined) container.containerPort = containerPort;
    if (healthCheck) container.healthCheck = healthCheck;
    if (c.cpu !== undefined) container.cpu = c.cpu;
    if (c.memory !== undefined) container.memory = c.memory;
    return container;
  });
  const propagated =
    service.propagateTags === 'SERVICE' ? service.tags : service.propagateTags === 'TASK_DEFINITION' ? tags : [];
  return new Task({
    id,
    arn: state.arns.task(cluster.name, id),
    clusterArn: cluster.arn,
    taskDefinitionArn: deployment.revision.taskDefinitionArn,
    containers,
    host: state.host,
    // Spread over three zones, as ECS spreads a service's tasks (chosen by the random id).
    availabilityZone: `${state.arns.region}${'abc'[Number.parseInt(id.slice(0, 2), 16) % 3]}`,
    launchType: service.launchType,
    ...(definition.cpu === undefined ? {} : { cpu: definition.cpu }),
    ...(definition.memory === undefined ? {} : { memory: definition.memory }),
    group: `service:${service.name}`,
    startedBy: deployment.id,
    serviceRevisionArn: deployment.revision.arn,
    tags: propagated.map((t) => ({ ...t })),
  });
}
