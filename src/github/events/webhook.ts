import * as z from 'zod';
import type { Catalog } from '../../catalog/index.ts';
import { InvalidInputError } from '../../platform/errors.ts';
import { parseEvent } from '../../platform/parse-event.ts';
import { gitHubEntries, type ReleaseStore } from '../../release/index.ts';
import { recordedGitHubRelease } from '../plan-release.ts';
import { type GitHubReleaseDetail, gitHubReleaseDetailSchema, gitHubReleasePublished } from './release.ts';

// What a GitHub webhook delivery (its signature already verified) asks of the
// release automation. Only a published release of a repository the catalog
// takes releases from goes on; everything else GitHub may send is answered
// and ignored, so that GitHub does not mark the hook as failing.

/** One delivery: the `X-GitHub-Event` and `X-GitHub-Delivery` headers and the raw body. */
export interface WebhookDelivery {
  event: string;
  deliveryId: string;
  body: string;
}

/** What to do with a delivery. */
export type WebhookOutcome =
  | { kind: 'pong' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate'; reason: string; releaseIds: string[] }
  | { kind: 'release'; detail: GitHubReleaseDetail };

/** What answering a delivery reads: the catalog, and the release records (never written here). */
export interface WebhookPorts {
  catalog: Catalog;
  releases: Pick<ReleaseStore, 'readRelease'>;
}

/**
 * Reads a verified delivery at `now` (readWebhook); a published release whose
 * releases are all recorded already was taken before, whatever its
 * X-GitHub-Delivery says: a duplicate, which starts nothing.
 */
export async function answerWebhook(
  delivery: WebhookDelivery,
  ports: WebhookPorts,
  now: Date,
): Promise<WebhookOutcome> {
  const outcome = readWebhook(delivery, ports.catalog, now);
  if (outcome.kind !== 'release') return outcome;
  const recorded = await recordedGitHubRelease(gitHubReleasePublished(outcome.detail), ports);
  if (recorded === undefined) return outcome;
  const { tag, repository, gitHubReleaseId } = outcome.detail;
  const releaseIds = recorded.map((record) => record.releaseId);
  return {
    kind: 'duplicate',
    reason: `release ${tag} of ${repository} (GitHub release ${gitHubReleaseId}) was taken already, as ${releaseIds.join(', ')}; nothing new starts`,
    releaseIds,
  };
}

// The fields of GitHub's `release` event that a release uses (GitHub's webhook
// documentation, "release"); every other field is ignored.
const releasePayloadSchema = z.object({
  action: z.string().min(1),
  release: z.object({
    // GitHub's id of the release: the signature covers it, so it (not X-GitHub-Delivery) names the releases.
    id: z.number().int().positive(),
    tag_name: z.string(),
    target_commitish: z.string(),
    html_url: z.string(),
    draft: z.boolean(),
    prerelease: z.boolean(),
    published_at: z.string().nullable(),
    author: z.object({ login: z.string() }),
  }),
  repository: z.object({ full_name: z.string() }),
});

const actionSchema = z.object({ action: z.string().min(1) });

// GitHub redelivers only deliveries of the last three days: an older release's
// signed body sent again is a replay, not GitHub. (A younger one names the
// releases it made already, by its release id: see recordedGitHubRelease.)
const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

/** Reads a verified delivery at `now`; malformed JSON or a release event without its fields is an InvalidInputError. */
export function readWebhook(delivery: WebhookDelivery, catalog: Catalog, now: Date): WebhookOutcome {
  const payload = parseJson(delivery.body);
  if (delivery.event === 'ping') return { kind: 'pong' };
  if (delivery.event !== 'release') return { kind: 'ignored', reason: `${delivery.event} events release nothing` };
  const { action } = parseEvent(actionSchema, payload);
  if (action !== 'published') return { kind: 'ignored', reason: `a release ${action} releases nothing` };
  const { release, repository } = parseEvent(releasePayloadSchema, payload);
  const about = `${release.tag_name} of ${repository.full_name}`;
  if (release.draft) return { kind: 'ignored', reason: `${about} is a draft` };
  const environments = gitHubEntries(catalog, repository.full_name);
  if (environments.length === 0) {
    return { kind: 'ignored', reason: `${repository.full_name} releases no environment of the catalog` };
  }
  if (release.prerelease && !environments.some(({ config }) => config.prereleases)) {
    return { kind: 'ignored', reason: `${about} is a pre-release and no environment takes pre-releases` };
  }
  const detail = parseEvent(gitHubReleaseDetailSchema, {
    repository: repository.full_name,
    tag: release.tag_name,
    commit: release.target_commitish,
    author: release.author.login,
    url: release.html_url,
    gitHubReleaseId: release.id,
    deliveryId: delivery.deliveryId,
    prerelease: release.prerelease,
    publishedAt: release.published_at,
  });
  if (Date.parse(detail.publishedAt) < now.getTime() - REDELIVERY_WINDOW_MS) {
    return {
      kind: 'ignored',
      reason: `${about} was published at ${detail.publishedAt}, longer ago than GitHub redelivers (3 days): a replay`,
    };
  }
  return { kind: 'release', detail };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InvalidInputError('the body is not JSON', { cause: error });
  }
}
