import type { NetworkConfiguration } from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { TaskDefinitionRecord, TaskDefinitions } from './task-definitions.ts';

// Where a task runs, as CreateService and RunTask read it: the launch type
// (FARGATE or EC2, checked against the task definition's compatibilities)
// and the awsvpc network configuration that awsvpc task definitions need.

function invalid(message: string): never {
  throw new AwsApiError('InvalidParameterException', message);
}

/** The task definition a request names, or ECS's ClientException. */
export function requireTaskDefinition(definitions: TaskDefinitions, reference: string): TaskDefinitionRecord {
  const record = definitions.resolve(reference);
  if (!record) throw new AwsApiError('ClientException', 'TaskDefinition not found.');
  return record;
}

/** The request's launch type, defaulting to FARGATE when the task definition supports it. */
export function readLaunchType(reader: InputReader, taskDefinition: TaskDefinitionRecord): 'FARGATE' | 'EC2' {
  const compatible = taskDefinition.definition.compatibilities ?? [];
  const launchType = reader.optionalString('launchType') ?? (compatible.includes('FARGATE') ? 'FARGATE' : 'EC2');
  if (launchType !== 'FARGATE' && launchType !== 'EC2')
    invalid(`The sandbox supports launch types FARGATE and EC2, not ${launchType}.`);
  if (!compatible.includes(launchType)) invalid(`Task definition does not support launch_type ${launchType}.`);
  return launchType;
}

/** `networkConfiguration.awsvpcConfiguration`, if given. */
export function readNetworkConfiguration(reader: InputReader): NetworkConfiguration | undefined {
  // An empty networkConfiguration is no configuration: the ECS deploy GitHub Action sends `{}` without subnets.
  const vpc = reader.optionalObject('networkConfiguration')?.optionalObject('awsvpcConfiguration');
  if (!vpc) return undefined;
  const assignPublicIp = vpc.optionalString('assignPublicIp');
  return {
    awsvpcConfiguration: {
      subnets: vpc.stringArray('subnets'),
      securityGroups: vpc.optionalStringArray('securityGroups') ?? [],
      assignPublicIp: assignPublicIp === 'ENABLED' ? 'ENABLED' : 'DISABLED',
    },
  };
}

/** The network configuration, required when the task definition's network mode is awsvpc. */
export function readTaskNetwork(
  reader: InputReader,
  taskDefinition: TaskDefinitionRecord,
): NetworkConfiguration | undefined {
  const networkConfiguration = readNetworkConfiguration(reader);
  if (taskDefinition.definition.networkMode === 'awsvpc' && !networkConfiguration) {
    invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  return networkConfiguration;
}
