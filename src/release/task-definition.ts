import { ContainerNotFoundError } from '../platform/errors.ts';
import type { ResourceTag, TaskDefinition, TaskDefinitionRegistration } from './ports/ecs.ts';

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

/** The tag naming the release that registered a revision, so a retried release finds its own. */
export const RELEASE_ID_TAG = 'release-automation:release-id';

/**
 * The next revision of a task definition: identical in every field a user can
 * set, tags included, except that one container runs `image` and the revision
 * is tagged with the release that registers it.
 */
export function reviseTaskDefinition(
  current: TaskDefinition,
  container: string,
  image: string,
  tags: readonly ResourceTag[],
  releaseId: string,
): TaskDefinitionRegistration {
  if (!current.containerDefinitions.some((definition) => definition.name === container)) {
    throw new ContainerNotFoundError(
      `task definition ${revisionName(current)} has no container named "${container}" (it has: ${containerNames(current)})`,
    );
  }
  const kept = Object.fromEntries(Object.entries(current).filter(([field]) => !READ_ONLY_FIELDS.has(field)));
  // `aws:` keys are reserved for AWS and RegisterTaskDefinition rejects them;
  // the copied revision's release tag names the release before this one.
  const userTags = tags.filter((tag) => !tag.key?.toLowerCase().startsWith('aws:') && tag.key !== RELEASE_ID_TAG);
  return {
    ...kept,
    family: current.family,
    containerDefinitions: current.containerDefinitions.map((definition) =>
      definition.name === container ? { ...definition, image } : definition,
    ),
    tags: [...userTags, { key: RELEASE_ID_TAG, value: releaseId }],
  };
}

/** The container names of a task definition, for messages. */
export function containerNames(taskDefinition: TaskDefinition): string {
  return taskDefinition.containerDefinitions.map((definition) => definition.name ?? '(unnamed)').join(', ') || 'none';
}
