import { describe, expect, it } from '@jest/globals';
import { verify } from '@octokit/webhooks-methods';
import {
  gitHubReleasePayload,
  parseGitHubReleaseArguments,
  signedDeliveryHeaders,
} from '../../../src/cli/github-release.ts';
import { main } from '../../../src/cli/main.ts';
import { UsageError } from '../../../src/cli/usage.ts';

describe('release github-release', () => {
  it('takes <owner/repo> <tag> and refuses what GitHub would not name', () => {
    expect(parseGitHubReleaseArguments(['example/web', 'v2'])).toEqual({ repository: 'example/web', tag: 'v2' });
    expect(() => parseGitHubReleaseArguments(['web', 'v2'])).toThrow(/is not a GitHub repository/);
    expect(() => parseGitHubReleaseArguments(['example/web'])).toThrow(UsageError);
    expect(() => parseGitHubReleaseArguments(['example/web', 'v2', 'extra'])).toThrow(UsageError);
  });

  it('needs the webhook URL when it talks to real AWS', async () => {
    await expect(main(['github-release', 'example/web', 'v2', '--aws'], () => undefined)).rejects.toThrow(
      'with --aws, give the webhook URL: --url <function url>',
    );
  });

  it("builds GitHub's release payload from the sample, published unless a draft", () => {
    const at = new Date('2026-12-02T01:00:00.123Z');
    const payload = gitHubReleasePayload({ repository: 'example/api', tag: 'v3', author: 'hubot', publishedAt: at });
    expect(payload).toMatchObject({
      action: 'published',
      release: {
        tag_name: 'v3',
        draft: false,
        prerelease: false,
        published_at: '2026-12-02T01:00:00Z',
        html_url: 'https://github.com/example/api/releases/tag/v3',
        author: { login: 'hubot' },
      },
      repository: { full_name: 'example/api', name: 'api' },
    });
    // GitHub has one release per tag: the same repository and tag, the same release id.
    const idOf = (sent: Record<string, unknown>) => (sent.release as { id?: unknown }).id;
    expect(idOf(payload)).toEqual(expect.any(Number));
    expect(idOf(gitHubReleasePayload({ repository: 'Example/API', tag: 'v3' }))).toBe(idOf(payload));
    expect(idOf(gitHubReleasePayload({ repository: 'example/api', tag: 'v4' }))).not.toBe(idOf(payload));
    const draft = gitHubReleasePayload({ repository: 'example/api', tag: 'v3', draft: true, prerelease: true });
    expect(draft.release).toMatchObject({ draft: true, prerelease: true, published_at: null });
  });

  it('signs the body as GitHub does (X-Hub-Signature-256) and names the event and delivery', async () => {
    const body = JSON.stringify(gitHubReleasePayload({ repository: 'example/web', tag: 'v2' }));
    const headers = await signedDeliveryHeaders('the-secret', body, 'delivery-1');
    expect(headers).toMatchObject({ 'x-github-event': 'release', 'x-github-delivery': 'delivery-1' });
    expect(await verify('the-secret', body, headers['x-hub-signature-256'] ?? '')).toBe(true);
    expect(await verify('another-secret', body, headers['x-hub-signature-256'] ?? '')).toBe(false);
  });
});
