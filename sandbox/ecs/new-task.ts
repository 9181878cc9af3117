import type { ContainerOverride, TaskOverride } from '@aws-sdk/client-ecs';
import { clone } from '../aws/clone.ts';
import { Task, type TaskContainer } from '../tasks/task.ts';
import { newTaskId } from './arn.ts';
import type { ClusterRecord } from './clusters.ts';
import type { EcsState } from './state.ts';
import type { TaskDefinitionRecord } from './task-definitions.ts';

// A new task of a task definition, PROVISIONING, for a service's deployment
// or for RunTask. Container overrides are applied where the sandbox's runtime
// can apply them (environment) and echoed in the task's `overrides`.

export interface NewTask {
  cluster: ClusterRecord;
  taskDefinition: TaskDefinitionRecord;
  launchType: string;
  /** `service:<name>` or `family:<family>`. */
  group: string;
  startedBy?: string;
  serviceRevisionArn?: string;
  tags: { key: string; value: string }[];
  /** RunTask's overrides; each `containerOverrides[].name` names a container of the task definition. */
  overrides?: TaskOverride;
}

/** Builds a task from its task definition; the caller adds it to the store and launches it. */
export function newTask(state: EcsState, spec: NewTask): Task {
  const { definition } = spec.taskDefinition;
  const id = newTaskId();
  const cluster = spec.cluster;
  const given = new Map((spec.overrides?.containerOverrides ?? []).map((o) => [o.name, o]));
  const echoed: ContainerOverride[] = [];
  const containers: TaskContainer[] = (definition.containerDefinitions ?? []).map((c, index) => {
    const name = c.name ?? `container-${index}`;
    const override = given.get(name);
    echoed.push(override ? clone(override) : { name });
    const healthCheck = c.healthCheck && c.healthCheck.command?.[0] !== 'NONE' ? clone(c.healthCheck) : undefined;
    const environment = [...(c.environment ?? []), ...(override?.environment ?? [])];
    const container: TaskContainer = {
      name,
      arn: state.arns.container(cluster.name, id),
      runtimeId: `${id}-${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}`,
      image: c.image ?? '',
      essential: c.essential ?? true,
      environment: Object.fromEntries(environment.map((v) => [v.name ?? '', v.value ?? ''])),
      secrets: (c.secrets ?? []).map((s) => ({ name: s.name ?? '', valueFrom: s.valueFrom ?? '' })),
      lastStatus: 'PENDING',
      healthStatus: 'UNKNOWN',
    };
    const containerPort = c.portMappings?.[0]?.containerPort;
    if (containerPort !== undefined) container.containerPort = containerPort;
    if (healthCheck) container.healthCheck = healthCheck;
    const cpu = override?.cpu ?? c.cpu;
    const memory = override?.memory ?? c.memory;
    if (cpu !== undefined) container.cpu = cpu;
    if (memory !== undefined) container.memory = memory;
    return container;
  });
  const cpu = spec.overrides?.cpu ?? definition.cpu;
  const memory = spec.overrides?.memory ?? definition.memory;
  return new Task({
    id,
    arn: state.arns.task(cluster.name, id),
    clusterArn: cluster.arn,
    taskDefinitionArn: definition.taskDefinitionArn ?? '',
    containers,
    host: state.host,
    // Spread over three zones, as ECS spreads tasks (chosen by the random id).
    availabilityZone: `${state.arns.region}${'abc'[Number.parseInt(id.slice(0, 2), 16) % 3]}`,
    launchType: spec.launchType,
    ...(cpu === undefined ? {} : { cpu }),
    ...(memory === undefined ? {} : { memory }),
    group: spec.group,
    ...(spec.startedBy === undefined ? {} : { startedBy: spec.startedBy }),
    ...(spec.serviceRevisionArn === undefined ? {} : { serviceRevisionArn: spec.serviceRevisionArn }),
    tags: spec.tags.map((t) => ({ ...t })),
    ...(spec.overrides ? { overrides: { ...clone(spec.overrides), containerOverrides: echoed } } : {}),
  });
}
