import type { DescribeTasksResponse, ListTasksResponse, StopTaskResponse } from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import { describeMany } from './describe-many.ts';
import { type EcsState, targetGroupsOf } from './state.ts';
import { ECS_INVALID_TOKEN } from './wire.ts';

// ListTasks, DescribeTasks and StopTask (a user-initiated stop: the service
// replaces the task, and the circuit breaker does not count it).

export function listTasks(state: EcsState, reader: InputReader): ListTasksResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  // ECS lists RUNNING (desired) tasks unless asked otherwise.
  const desiredStatus = reader.optionalString('desiredStatus') ?? 'RUNNING';
  if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus))
    reader.fail(`Invalid desiredStatus '${desiredStatus}'.`);
  const serviceName = reader.optionalString('serviceName');
  if (serviceName !== undefined) state.services.require(cluster, serviceName);
  const service = serviceName === undefined ? undefined : state.services.find(cluster, serviceName);
  const family = reader.optionalString('family');
  const startedBy = reader.optionalString('startedBy');
  const launchType = reader.optionalString('launchType');
  const tasks = (
    service ? state.tasks.inGroup(cluster.arn, `service:${service.name}`) : state.tasks.inCluster(cluster.arn)
  )
    .filter((t) => t.desiredStatus === desiredStatus)
    .filter((t) => family === undefined || t.taskDefinitionArn.split('task-definition/')[1]?.split(':')[0] === family)
    .filter((t) => startedBy === undefined || t.startedBy === startedBy)
    .filter((t) => launchType === undefined || t.launchType === launchType)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const { items, nextToken } = page(
    tasks,
    reader.optionalString('nextToken'),
    reader.optionalInteger('maxResults', 1, 100) ?? 100,
    ECS_INVALID_TOKEN,
  );
  return { taskArns: items.map((t) => t.arn), ...(nextToken ? { nextToken } : {}) };
}

export function describeTasks(state: EcsState, reader: InputReader): DescribeTasksResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const references = reader.stringArray('tasks');
  if (references.length > 100) reader.fail('tasks can have at most 100 items.');
  const includeTags = (reader.optionalStringArray('include') ?? []).includes('TAGS');
  const { found: tasks, failures } = describeMany(
    references,
    (reference) => state.tasks.find(cluster.arn, reference),
    (task) => task.toAws({ includeTags }),
    (reference) => state.arns.task(cluster.name, reference),
  );
  return { tasks, failures };
}

export function stopTask(state: EcsState, reader: InputReader): StopTaskResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const task = state.tasks.find(cluster.arn, reader.string('task'));
  if (!task) throw new AwsApiError('InvalidParameterException', 'The referenced task was not found.');
  const service = task.group?.startsWith('service:') ? state.services.find(cluster, task.group.slice(8)) : undefined;
  const groups = service ? targetGroupsOf(state, service) : [];
  state.runner.stop(task, {
    reason: reader.optionalString('reason') ?? 'Task stopped by user',
    stopCode: 'UserInitiated',
    ...(service?.registered.has(task.id)
      ? {
          drain: async () => {
            await Promise.all(groups.map((g) => g.deregister(task.id)));
            service.registered.delete(task.id);
          },
        }
      : {}),
  });
  return { task: task.toAws() };
}
