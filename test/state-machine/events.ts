import { readFileSync } from 'node:fs';

const template = JSON.parse(readFileSync(new URL('../../events/aws.ecr/push.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
> & { detail: Record<string, unknown> };

// Pushes happen in the order the tests make them: each gets a later time.
let clock = Date.now();
const nextTime = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

/** The sample ECR push event (events/aws.ecr/push.json) with another id, time, repository, tag or digest. */
export function pushEvent(
  changes: { id?: string; time?: string; repository?: string; tag?: string; digest?: string } = {},
): Record<string, unknown> {
  const event = structuredClone(template);
  if (changes.id) event.id = changes.id;
  event.time = changes.time ?? nextTime();
  if (changes.repository) event.detail['repository-name'] = changes.repository;
  if (changes.tag) event.detail['image-tag'] = changes.tag;
  if (changes.digest) event.detail['image-digest'] = changes.digest;
  return event;
}

export const digestOf = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

const gitHubTemplate = JSON.parse(
  readFileSync(new URL('../../events/release-automation.github/release-published.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { detail: Record<string, unknown> };

// Each event is another GitHub release unless a test names one: GitHub's release id names its releases.
let gitHubReleaseIds = 186_300_000;

/**
 * The sample GitHub release event (events/release-automation.github/release-published.json)
 * of a new GitHub release (or the one `gitHubReleaseId` names), for another delivery, tag or repository.
 */
export function gitHubReleaseEvent(
  changes: {
    deliveryId?: string;
    gitHubReleaseId?: number;
    tag?: string;
    repository?: string;
    prerelease?: boolean;
  } = {},
): Record<string, unknown> {
  const event = structuredClone(gitHubTemplate);
  const at = nextTime();
  event.time = at;
  event.detail.publishedAt = at;
  event.detail.gitHubReleaseId = changes.gitHubReleaseId ?? ++gitHubReleaseIds;
  if (changes.deliveryId) event.detail.deliveryId = changes.deliveryId;
  if (changes.tag) event.detail.tag = changes.tag;
  if (changes.repository) event.detail.repository = changes.repository;
  if (changes.prerelease !== undefined) event.detail.prerelease = changes.prerelease;
  return event;
}
