import type { ResourceTag, TaskDefinition, TaskDefinitionRegistration } from '../ports/ecs.ts';
import { ContainerNotFoundError } from './errors.ts';

// Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not
// take: ECS sets them. `deleteRequestedAt` only appears on a revision being deleted.
const READ_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
]);

/** `family:revision`, how people name a revision. */
export function revisionName(taskDefinition: Pick<TaskDefinition, 'family' | 'revision'>): string {
  return `${taskDefinition.family}:${taskDefinition.revision}`;
}

/**
 * The next revision of a task definition: identical in every field a user can
 * set, tags included, except that one container runs `image`.
 */
export function reviseTaskDefinition(
  current: TaskDefinition,
  container: string,
  image: string,
  tags: readonly ResourceTag[],
): TaskDefinitionRegistration {
  if (!current.containerDefinitions.some((definition) => definition.name === container)) {
    throw new ContainerNotFoundError(
      `task definition ${revisionName(current)} has no container named "${container}" (it has: ${containerNames(current)})`,
    );
  }
  const kept = Object.fromEntries(Object.entries(current).filter(([field]) => !READ_ONLY_FIELDS.has(field)));
  // `aws:` keys are reserved for AWS and RegisterTaskDefinition rejects them.
  const userTags = tags.filter((tag) => !tag.key?.toLowerCase().startsWith('aws:'));
  return {
    ...kept,
    family: current.family,
    containerDefinitions: current.containerDefinitions.map((definition) =>
      definition.name === container ? { ...definition, image } : definition,
    ),
    ...(userTags.length > 0 ? { tags: userTags } : {}),
  };
}

/** The container names of a task definition, for messages. */
export function containerNames(taskDefinition: TaskDefinition): string {
  return taskDefinition.containerDefinitions.map((definition) => definition.name ?? '(unnamed)').join(', ') || 'none';
}
