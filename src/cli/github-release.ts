import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GITHUB_REPOSITORY } from '../catalog/index.ts';
import { gitHubSignature } from '../github/index.ts';
import { pollUntil } from '../platform/index.ts';
import { executionSearch } from './executions.ts';
import type { Target } from './target.ts';
import { UsageError } from './usage.ts';

export const gitHubReleaseUsage = `Usage: release github-release <owner/repo> <tag> [--prerelease] [--draft] [--delivery <id>]
                              [--url <webhook url>] [--secret-parameter <name>] [--author <login>]

Sends GitHub's "release published" webhook for <tag> of <owner/repo>, signed
with the webhook secret from SSM as GitHub signs it, to the github-webhook
function URL; a catalog environment released from that repository (trigger
github-release) then releases the image tagged <tag>. GitHub has one release
per tag: sent again, it is the same release (the same id), which the webhook
answers as a duplicate once its releases are recorded, whatever the delivery id.
  --prerelease              mark the release a pre-release
  --draft                   a draft (GitHub sends none when publishing; the webhook ignores it)
  --delivery <id>           the X-GitHub-Delivery id (default: a new one)
  --url <url>               the webhook URL (default: the sandbox's, from <endpoint>/_sandbox/function-urls)
  --secret-parameter <name> the SecureString holding the secret (default: /release-automation/<stage>/github/webhook-secret)
  --author <login>          who published it (default: octocat)`;

/** One webhook delivery to send. */
export interface GitHubReleaseDelivery {
  repository: string;
  tag: string;
  prerelease?: boolean;
  draft?: boolean;
  deliveryId?: string;
  author?: string;
  /** Default: now. */
  publishedAt?: Date;
}

/** What the webhook answered. */
export interface DeliveryAnswer {
  deliveryId: string;
  status: number;
  body: string;
}

// The function key serverless.yml gives the webhook.
const WEBHOOK_FUNCTION = 'githubWebhook';
const SAMPLE = new URL('../../events/github.webhook/release-published.json', import.meta.url);

/** Checks `<owner/repo> <tag>` as GitHub spells them. */
export function parseGitHubReleaseArguments(positionals: readonly string[]): { repository: string; tag: string } {
  const [repository, tag] = positionals;
  if (positionals.length !== 2 || repository === undefined || tag === undefined) {
    throw new UsageError('github-release takes <owner/repo> <tag>, e.g. example/web v2');
  }
  if (!GITHUB_REPOSITORY.test(repository))
    throw new UsageError(`"${repository}" is not a GitHub repository (owner/name)`);
  if (tag.trim() === '') throw new UsageError('the tag must not be empty');
  return { repository, tag };
}

/** GitHub's `release` webhook payload (action published) for the delivery, from the sample in events/. */
export function gitHubReleasePayload(delivery: GitHubReleaseDelivery): Record<string, unknown> {
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as {
    release: Record<string, unknown>;
    repository: Record<string, unknown>;
  } & Record<string, unknown>;
  const [owner = '', name = ''] = delivery.repository.split('/');
  const author = delivery.author ?? 'octocat';
  const at = (delivery.publishedAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const htmlUrl = `https://github.com/${delivery.repository}`;
  const releaseId = gitHubReleaseIdOf(delivery.repository, delivery.tag);
  return {
    ...sample,
    action: 'published',
    release: {
      ...sample.release,
      url: `https://api.github.com/repos/${delivery.repository}/releases/${releaseId}`,
      html_url: `${htmlUrl}/releases/tag/${encodeURIComponent(delivery.tag)}`,
      id: releaseId,
      author: { ...(sample.release.author as object), login: author, html_url: `https://github.com/${author}` },
      tag_name: delivery.tag,
      name: delivery.tag,
      draft: delivery.draft ?? false,
      prerelease: delivery.prerelease ?? false,
      created_at: at,
      updated_at: at,
      published_at: delivery.draft ? null : at,
    },
    repository: { ...sample.repository, name, full_name: delivery.repository, html_url: htmlUrl },
    organization: { login: owner },
    sender: { login: author, type: 'User' },
  };
}

/** GitHub's id of the release of `tag` in `repository`: GitHub has one release per tag, so the same pair gives the same id. */
export function gitHubReleaseIdOf(repository: string, tag: string): number {
  // 48 bits of a hash: a whole number JSON carries exactly, as GitHub's ids are.
  return createHash('sha256').update(`${repository.toLowerCase()}\n${tag}`).digest().readUIntBE(0, 6) + 1;
}

/** The headers GitHub sends with a delivery of `body`, signed with `secret`. */
export function signedDeliveryHeaders(
  secret: string,
  body: string,
  deliveryId: string,
  event = 'release',
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/release-automation-cli',
    'x-github-event': event,
    'x-github-delivery': deliveryId,
    'x-hub-signature-256': gitHubSignature(secret, body),
  };
}

/** The sandbox's webhook URL, from its AWS endpoint's `/_sandbox/function-urls`. */
export async function sandboxWebhookUrl(endpoint: string): Promise<string> {
  const response = await fetch(new URL('/_sandbox/function-urls', endpoint));
  if (!response.ok) throw new Error(`${endpoint} has no function URLs (HTTP ${response.status}): is it the sandbox?`);
  const urls = (await response.json()) as Record<string, unknown>;
  const url = urls[WEBHOOK_FUNCTION];
  if (typeof url !== 'string') throw new Error(`the sandbox at ${endpoint} serves no ${WEBHOOK_FUNCTION} function URL`);
  return url;
}

/** The webhook secret, decrypted, from SSM. */
export async function webhookSecret(target: Target, parameter: string): Promise<string> {
  const { Parameter } = await target.ssm.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
  if (!Parameter?.Value) throw new Error(`the parameter ${parameter} holds no webhook secret`);
  return Parameter.Value;
}

/** Signs the delivery's payload with `secret` and POSTs it to the webhook, as GitHub would. */
export async function sendGitHubRelease(
  url: string,
  secret: string,
  delivery: GitHubReleaseDelivery,
): Promise<DeliveryAnswer> {
  const deliveryId = delivery.deliveryId ?? randomUUID();
  const body = JSON.stringify(gitHubReleasePayload(delivery));
  const response = await fetch(url, {
    method: 'POST',
    headers: signedDeliveryHeaders(secret, body, deliveryId),
    body,
  });
  return { deliveryId, status: response.status, body: await response.text() };
}

/** Waits for the release execution a delivery started (its input names the delivery id); undefined if none starts in time. */
export async function findDeliveryExecution(
  target: Target,
  deliveryId: string,
  since: Date,
  timeoutMs = 15_000,
): Promise<string | undefined> {
  const search = executionSearch(target, {
    since: since.getTime() - 5000,
    matches: (input) => deliveryIdOf(input) === deliveryId,
  });
  return pollUntil(async () => (await search())[0]?.executionArn, { timeoutMs, intervalMs: 250 });
}

function deliveryIdOf(input: string): unknown {
  try {
    return (JSON.parse(input) as { detail?: { deliveryId?: unknown } }).detail?.deliveryId;
  } catch {
    return undefined;
  }
}
