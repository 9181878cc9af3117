import type { Task } from '../tasks/task.ts';
import { newTask } from './new-task.ts';
import type { RollingDeployment, ServiceRecord } from './service-model.ts';
import type { EcsState } from './state.ts';

// A new task of a service's deployment, built from its revision's task
// definition, with the tags the service propagates.

export function newServiceTask(state: EcsState, service: ServiceRecord, deployment: RollingDeployment): Task {
  const taskDefinition = state.taskDefinitions.require(deployment.revision.taskDefinitionArn);
  const propagated =
    service.propagateTags === 'SERVICE'
      ? service.tags
      : service.propagateTags === 'TASK_DEFINITION'
        ? taskDefinition.tags
        : [];
  return newTask(state, {
    cluster: service.cluster,
    taskDefinition,
    launchType: service.launchType,
    group: `service:${service.name}`,
    startedBy: deployment.id,
    serviceRevisionArn: deployment.revision.arn,
    tags: propagated,
  });
}
