import type {
  DeregisterTaskDefinitionResponse,
  DescribeTaskDefinitionResponse,
  ListTaskDefinitionFamiliesResponse,
  ListTaskDefinitionsResponse,
  RegisterTaskDefinitionResponse,
} from '@aws-sdk/client-ecs';
import { clone } from '../aws/clone.ts';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import type { EcsState } from './state.ts';
import { readTaskDefinitionInput } from './task-definition-input.ts';
import { ECS_INVALID_TOKEN } from './wire.ts';

// RegisterTaskDefinition, DescribeTaskDefinition (include TAGS),
// ListTaskDefinitions, ListTaskDefinitionFamilies, DeregisterTaskDefinition.

function clientError(message: string): never {
  throw new AwsApiError('ClientException', message);
}

export function registerTaskDefinition(state: EcsState, reader: InputReader): RegisterTaskDefinitionResponse {
  const record = state.taskDefinitions.register(readTaskDefinitionInput(reader, clientError));
  return { taskDefinition: clone(record.definition), tags: record.tags.map((t) => ({ ...t })) };
}

export function describeTaskDefinition(state: EcsState, reader: InputReader): DescribeTaskDefinitionResponse {
  const record = state.taskDefinitions.require(reader.string('taskDefinition'));
  const includeTags = (reader.optionalStringArray('include') ?? []).includes('TAGS');
  return {
    taskDefinition: clone(record.definition),
    ...(includeTags ? { tags: record.tags.map((t) => ({ ...t })) } : {}),
  };
}

export function listTaskDefinitions(state: EcsState, reader: InputReader): ListTaskDefinitionsResponse {
  const status = reader.optionalString('status') ?? 'ACTIVE';
  const arns = state.taskDefinitions.list(reader.optionalString('familyPrefix'), status);
  if (reader.optionalString('sort') === 'DESC') arns.reverse();
  const { items, nextToken } = page(
    arns,
    reader.optionalString('nextToken'),
    reader.optionalInteger('maxResults', 1, 100) ?? 100,
    ECS_INVALID_TOKEN,
  );
  return { taskDefinitionArns: items, ...(nextToken ? { nextToken } : {}) };
}

const FAMILY_STATUSES = ['ACTIVE', 'INACTIVE', 'ALL'] as const;
const isFamilyStatus = (value: string): value is (typeof FAMILY_STATUSES)[number] =>
  (FAMILY_STATUSES as readonly string[]).includes(value);

export function listTaskDefinitionFamilies(state: EcsState, reader: InputReader): ListTaskDefinitionFamiliesResponse {
  // Unlike ListTaskDefinitions, ECS lists ACTIVE and INACTIVE families by default.
  const status = reader.optionalString('status') ?? 'ALL';
  if (!isFamilyStatus(status)) reader.fail(`status must be one of ${FAMILY_STATUSES.join(', ')}.`);
  const families = state.taskDefinitions.families(reader.optionalString('familyPrefix'), status);
  const { items, nextToken } = page(
    families,
    reader.optionalString('nextToken'),
    reader.optionalInteger('maxResults', 1, 100) ?? 100,
    ECS_INVALID_TOKEN,
  );
  return { families: items, ...(nextToken ? { nextToken } : {}) };
}

export function deregisterTaskDefinition(state: EcsState, reader: InputReader): DeregisterTaskDefinitionResponse {
  const reference = reader.string('taskDefinition');
  if (!reference.includes(':'))
    throw new AwsApiError('ClientException', 'A revision is required: family:revision or the full ARN.');
  const record = state.taskDefinitions.require(reference);
  record.definition.status = 'INACTIVE';
  record.definition.deregisteredAt = new Date();
  return { taskDefinition: clone(record.definition) };
}
