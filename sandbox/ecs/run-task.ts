import type { ContainerOverride, RunTaskResponse, TaskOverride } from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import { readTags } from '../aws/tags.ts';
import { readLaunchType, readTaskNetwork, requireTaskDefinition } from './launch-input.ts';
import { newTask } from './new-task.ts';
import type { EcsState } from './state.ts';
import type { TaskDefinitionRecord } from './task-definitions.ts';

// RunTask: one to ten standalone tasks of a task definition (a migration, a
// one-off job). They run through the same runner as services' tasks and stop
// when their essential container exits or on StopTask; no scheduler replaces
// them. In the sandbox every image runs the demo app, a server: a run task
// runs until StopTask, unless its image exits at start (`-crash`, exit 1).

const MAX_OVERRIDES_LENGTH = 8192;
const STARTED_BY = /^[a-zA-Z0-9_/-]{1,128}$/;

function invalid(message: string): never {
  throw new AwsApiError('InvalidParameterException', message);
}

function readContainerOverride(reader: InputReader, containers: ReadonlySet<string>): ContainerOverride {
  const name = reader.string('name');
  if (!containers.has(name)) invalid(`Override for container named ${name} is not a container in the TaskDefinition.`);
  const command = reader.optionalStringArray('command');
  const environment = reader
    .objects('environment')
    .map((variable) => ({ name: variable.string('name'), value: variable.optionalString('value') ?? '' }));
  const cpu = reader.optionalInteger('cpu', 0, 196_608);
  const memory = reader.optionalInteger('memory', 4, 2_097_152);
  return {
    name,
    ...(command === undefined ? {} : { command }),
    ...(reader.has('environment') ? { environment } : {}),
    ...(cpu === undefined ? {} : { cpu }),
    ...(memory === undefined ? {} : { memory }),
  };
}

/** RunTask's `overrides`, checked against the task definition's containers. */
function readOverrides(reader: InputReader, taskDefinition: TaskDefinitionRecord): TaskOverride | undefined {
  const overrides = reader.optionalObject('overrides');
  if (!overrides) return undefined;
  if (JSON.stringify(overrides.value()).length > MAX_OVERRIDES_LENGTH) {
    invalid(`Container Overrides length must be at most ${MAX_OVERRIDES_LENGTH}`);
  }
  const containers = new Set((taskDefinition.definition.containerDefinitions ?? []).map((c) => c.name ?? ''));
  const containerOverrides = overrides.objects('containerOverrides').map((o) => readContainerOverride(o, containers));
  const optional = (name: 'cpu' | 'memory' | 'taskRoleArn' | 'executionRoleArn') => {
    const value = overrides.optionalString(name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    containerOverrides,
    inferenceAcceleratorOverrides: [],
    ...optional('cpu'),
    ...optional('memory'),
    ...optional('taskRoleArn'),
    ...optional('executionRoleArn'),
  };
}

function readTaskTags(reader: InputReader, taskDefinition: TaskDefinitionRecord): { key: string; value: string }[] {
  const tags = readTags(reader);
  const propagate = reader.optionalString('propagateTags') ?? 'NONE';
  if (propagate === 'SERVICE') invalid('The SERVICE option of propagateTags is not valid for RunTask.');
  if (propagate !== 'NONE' && propagate !== 'TASK_DEFINITION') invalid(`Invalid propagateTags '${propagate}'.`);
  const merged = propagate === 'TASK_DEFINITION' ? [...taskDefinition.tags, ...tags] : tags;
  if (merged.length > 50) invalid('A task can have at most 50 tags.');
  return merged;
}

export function runTask(state: EcsState, reader: InputReader): RunTaskResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const taskDefinition = requireTaskDefinition(state.taskDefinitions, reader.string('taskDefinition'));
  if (taskDefinition.definition.status !== 'ACTIVE') {
    throw new AwsApiError('ClientException', 'TaskDefinition is inactive');
  }
  const count = reader.optionalInteger('count', 1, 10) ?? 1;
  if (reader.has('capacityProviderStrategy')) {
    if (reader.has('launchType'))
      invalid('Specifying both a launch type and capacity provider strategy is not supported.');
    throw new AwsApiError(
      'UnsupportedFeatureException',
      'The sandbox runs tasks by launchType, not by capacity provider.',
    );
  }
  const launchType = readLaunchType(reader, taskDefinition);
  readTaskNetwork(reader, taskDefinition);
  const startedBy = reader.optionalString('startedBy');
  if (startedBy !== undefined && !STARTED_BY.test(startedBy)) {
    invalid('startedBy can have up to 128 letters, numbers, hyphens, forward slashes and underscores.');
  }
  const family = taskDefinition.definition.family ?? '';
  const group = reader.optionalString('group') ?? `family:${family}`;
  // The scheduler owns the `service:` groups: a standalone task there would count as the service's.
  if (group.startsWith('service:')) invalid('The sandbox reserves task groups starting with service: for services.');
  const tags = readTaskTags(reader, taskDefinition);
  const overrides = readOverrides(reader, taskDefinition);
  reader.optionalBoolean('enableECSManagedTags');
  reader.optionalBoolean('enableExecuteCommand');

  const tasks = Array.from({ length: count }, () =>
    newTask(state, {
      cluster,
      taskDefinition,
      launchType,
      group,
      ...(startedBy === undefined ? {} : { startedBy }),
      tags,
      ...(overrides ? { overrides } : {}),
    }),
  );
  for (const task of tasks) {
    state.tasks.add(task);
    state.runner.launch(task);
  }
  return { tasks: tasks.map((task) => task.toAws({ includeTags: true })), failures: [] };
}
