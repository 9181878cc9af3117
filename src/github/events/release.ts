import * as z from 'zod';
import { GITHUB_REPOSITORY } from '../../catalog/index.ts';
import { parseEvent } from '../../platform/parse-event.ts';
import { EVENT_ID, type GitHubReleaseSource } from '../../release/index.ts';
import type { GitHubReleasePublished } from '../plan-release.ts';

// The event github-webhook puts on the project's event bus for a published
// GitHub release, and that the release state machine's rule matches: only the
// facts a release needs, never the webhook's whole payload (which names
// people's emails, and would grow with every field GitHub adds).

/** The event's `source` on the project's bus. */
export const GITHUB_RELEASE_SOURCE = 'release-automation.github';
/** The event's `detail-type`. */
export const GITHUB_RELEASE_DETAIL_TYPE = 'GitHub Release Published';

// GitHub's delivery ids are GUIDs; held to what a release id may contain, as an ECR event id is.
const DELIVERY_ID = EVENT_ID;
// A git ref name: no control characters or spaces (git check-ref-format); GitHub caps tags at 255.
const REF = /^[^\s\p{Cc}]{1,255}$/u;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** The event's `detail`: a published GitHub release, trimmed. */
export const gitHubReleaseDetailSchema = z.object({
  repository: z.string().regex(GITHUB_REPOSITORY, 'is not a GitHub repository (owner/name)'),
  tag: z.string().regex(REF, 'is not a tag name (1 to 255 characters, no spaces or control characters)'),
  commit: z.string().regex(REF, 'is not a commit or branch name'),
  author: z.string().regex(LOGIN, 'is not a GitHub login'),
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  /** GitHub's id of the release, from the signed body: it names the releases (release ids) it asks for. */
  gitHubReleaseId: z.number().int().positive(),
  /** `X-GitHub-Delivery`, unsigned: for tracing a delivery only, never for deduplicating. */
  deliveryId: z.string().regex(DELIVERY_ID, 'is not a delivery id (1 to 128 letters, digits, ".", "_", ":" or "-")'),
  prerelease: z.boolean(),
  publishedAt: z.iso.datetime({ offset: true }),
});

export type GitHubReleaseDetail = z.infer<typeof gitHubReleaseDetailSchema>;

/** The whole event the release state machine is started with for a published GitHub release. */
export const gitHubReleaseEventSchema = z.object({
  source: z.literal(GITHUB_RELEASE_SOURCE),
  'detail-type': z.literal(GITHUB_RELEASE_DETAIL_TYPE),
  detail: gitHubReleaseDetailSchema,
});

/** Whether an execution input is the GitHub release event (rather than an ECR push). */
export function isGitHubReleaseEvent(input: unknown): boolean {
  return (
    typeof input === 'object' && input !== null && (input as Record<string, unknown>).source === GITHUB_RELEASE_SOURCE
  );
}

/** The GitHub release the bus event reports; a malformed one is an InvalidInputError. */
export function parseGitHubReleaseEvent(input: unknown): GitHubReleasePublished {
  return gitHubReleasePublished(parseEvent(gitHubReleaseEventSchema, input).detail);
}

/** The published GitHub release a (valid) detail describes, as planning reads it. */
export function gitHubReleasePublished(detail: GitHubReleaseDetail): GitHubReleasePublished {
  return { source: sourceOf(detail), gitHubReleaseId: detail.gitHubReleaseId, at: detail.publishedAt };
}

/** The release's facts as a release request carries them. */
function sourceOf(detail: GitHubReleaseDetail): GitHubReleaseSource {
  return {
    kind: 'github-release',
    repository: detail.repository,
    tag: detail.tag,
    commit: detail.commit,
    author: detail.author,
    url: detail.url,
    deliveryId: detail.deliveryId,
    prerelease: detail.prerelease,
  };
}
