import type { EcsPort, TaskDefinitionRegistration } from './ports/ecs.ts';
import { RELEASE_ID_TAG } from './task-definition.ts';

// RegisterTaskDefinition is not idempotent: when it took effect but its answer
// was lost, the retried release would register one more revision. A release's
// own earlier revision is newer than the live one (or it would be live) and
// among the family's newest, unless more than this many were registered since.
const LOOKBACK = 5;

/** Where a release registers: its id, and the revision number its service ran when it started. */
export interface RegistrationScope {
  releaseId: string;
  liveRevision: number;
}

/** The revision this release registered on an earlier try, found by its release tag, or a newly registered one. */
export async function registerOnce(
  ecs: Pick<EcsPort, 'latestRevisions' | 'describeTaskDefinition' | 'registerTaskDefinition'>,
  registration: TaskDefinitionRegistration,
  scope: RegistrationScope,
): Promise<string> {
  const earlier = await registeredBefore(ecs, registration.family, scope);
  return earlier ?? (await ecs.registerTaskDefinition(registration));
}

async function registeredBefore(
  ecs: Pick<EcsPort, 'latestRevisions' | 'describeTaskDefinition'>,
  family: string,
  { releaseId, liveRevision }: RegistrationScope,
): Promise<string | undefined> {
  const newer = (await ecs.latestRevisions(family, LOOKBACK)).filter((arn) => revisionOf(arn) > liveRevision);
  for (const arn of newer) {
    const { tags } = await ecs.describeTaskDefinition(arn, { withTags: true });
    if (tags.some((tag) => tag.key === RELEASE_ID_TAG && tag.value === releaseId)) return arn;
  }
  return undefined;
}

// `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`
function revisionOf(arn: string): number {
  return Number(arn.slice(arn.lastIndexOf(':') + 1));
}
