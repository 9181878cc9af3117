import { type Catalog, catalogTarget, placementName } from '../catalog/index.ts';
import { ImageNotFoundError, InvalidInputError, TargetAccessError } from '../platform/errors.ts';
import {
  FUTURE_TOLERANCE_MS,
  findGitHubTargets,
  type GitHubReleaseSource,
  type GitHubTarget,
  type ImageRef,
  isAheadOfClock,
  isImageTag,
  type PlanPorts,
  type PlanResult,
  planned,
  planTarget,
  type RefusedTarget,
  type ReleaseRequest,
  type ReleaseStore,
  refusal,
  refusedTarget,
  registryAccess,
  releaseIdFor,
  type StoredRelease,
  type Trigger,
} from '../release/index.ts';

/** A published GitHub release, as planning needs it (the bus event, validated). */
export interface GitHubReleasePublished {
  source: GitHubReleaseSource;
  /** GitHub's id of the release (from the signed body). */
  gitHubReleaseId: number;
  /** When it was published (ISO 8601). */
  at: string;
}

/**
 * The trigger's event id of the releases a GitHub release asks for. It comes
 * from what GitHub's signature covers: X-GitHub-Delivery is not signed, so a
 * signed body sent again under new delivery ids would otherwise name new
 * releases. GitHub's release ids are unique, and each catalog service takes
 * releases from one repository, so `<service>-<environment>-github-<id>` names
 * one target's release of one GitHub release: made at most once, however
 * often (re)delivered or re-published. Letters, digits and dashes: a valid
 * Step Functions execution name.
 */
export const gitHubReleaseEventId = (gitHubReleaseId: number): string => `github-${gitHubReleaseId}`;

/**
 * The releases a published GitHub release asks for: one per github-release
 * environment of the services that take releases from its repository, each
 * releasing the image its tag names in the environment's ECR repository,
 * pinned by that image's digest. A target whose image does not exist is
 * refused with the reason (announced in its Slack channel); the others release.
 * The release id derives from GitHub's id of the release (gitHubReleaseEventId):
 * a redelivery or a replay names the same releases, so it makes none of its own.
 */
export async function planGitHubRelease(published: GitHubReleasePublished, ports: PlanPorts): Promise<PlanResult> {
  const now = ports.now();
  const { source } = published;
  if (isAheadOfClock(published.at, now)) {
    throw new InvalidInputError(
      `GitHub release ${source.tag} of ${source.repository} (id ${published.gitHubReleaseId}, delivery ${source.deliveryId}) is dated ${published.at}, more than ${FUTURE_TOLERANCE_MS / 60_000} minutes after now (${now.toISOString()}); a release cannot come from the future`,
    );
  }
  const lookup = findGitHubTargets(ports.catalog, source);
  if (lookup.refused !== undefined) return refusal(lookup.refused);
  const trigger: Trigger = {
    source: 'github-release',
    eventId: gitHubReleaseEventId(published.gitHubReleaseId),
    at: published.at,
  };
  // Targets fed from one ECR repository share its lookup; each registry is read as the role the catalog names for it.
  const images = new Map<string, Promise<ImageRef | string>>();
  const imageFor = (read: PlanPorts, key: string, repository: string) => {
    let image = images.get(key);
    if (image === undefined) {
      image = taggedImage(read, repository, source);
      images.set(key, image);
    }
    return image;
  };
  const plans = await Promise.all(
    lookup.targets.map(async ({ target, repository }: GitHubTarget): Promise<ReleaseRequest | RefusedTarget> => {
      const config = catalogTarget(ports.catalog, target.service, target.environment);
      const registry = registryAccess(config ?? {}, ports.home);
      const read = {
        ...ports,
        registry: ports.registry.at(registry, trigger.eventId),
        scans: ports.scans.at(registry, trigger.eventId),
      };
      const image = await imageFor(read, `${placementName(registry)}/${repository}`, repository);
      if (typeof image === 'string') return refusedTarget(target, image, source);
      return planTarget({ target, image, trigger, source }, read, now);
    }),
  );
  return planned(plans);
}

/**
 * The records of the releases a published GitHub release asks for, when each
 * of them is recorded already: it was taken before (a redelivery, a replay, a
 * re-publication), and starts nothing new. Undefined while any of them has no
 * record (never planned, or its target refused, say for want of an image): it
 * is planned again, and the recorded ones end DUPLICATE at claim.
 */
export async function recordedGitHubRelease(
  published: GitHubReleasePublished,
  ports: { catalog: Catalog; releases: Pick<ReleaseStore, 'readRelease'> },
): Promise<StoredRelease[] | undefined> {
  const lookup = findGitHubTargets(ports.catalog, published.source);
  if (lookup.targets.length === 0) return undefined;
  const eventId = gitHubReleaseEventId(published.gitHubReleaseId);
  const records = await Promise.all(
    lookup.targets.map(({ target }) => ports.releases.readRelease(releaseIdFor(target, eventId))),
  );
  const isRecorded = (record: StoredRelease | undefined): record is StoredRelease => record !== undefined;
  return records.every(isRecorded) ? records : undefined;
}

/** The image the release's tag names in `repository`, or why there is none to release. */
async function taggedImage(
  { registry }: PlanPorts,
  repository: string,
  { tag, repository: github }: GitHubReleaseSource,
): Promise<ImageRef | string> {
  const release = `GitHub release ${tag} of ${github}`;
  if (!isImageTag(tag)) {
    return `${release}: ${tag} cannot be an image tag (1 to 128 characters: [A-Za-z0-9_] then . _ -), so it names no image in ${repository}; nothing was deployed`;
  }
  const missing = `${release}: no image ${repository}:${tag} in the registry; nothing was deployed. Push the image with that tag, then redeliver the webhook from GitHub`;
  try {
    const [stored, repositoryUri] = await Promise.all([
      registry.findTaggedImage(repository, tag),
      registry.repositoryUri(repository),
    ]);
    if (stored === undefined) return missing;
    return {
      repository,
      tag,
      digest: stored.digest,
      uri: `${repositoryUri}@${stored.digest}`,
      pushedAt: stored.pushedAt,
    };
  } catch (error) {
    if (error instanceof ImageNotFoundError || error instanceof TargetAccessError) {
      return `${release}: ${error.message}; nothing was deployed`;
    }
    throw error;
  }
}
