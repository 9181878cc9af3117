import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { isGitHubReleaseEvent, parseGitHubReleaseEvent } from '../../../src/github/events/release.ts';
import { InvalidInputError } from '../../../src/platform/errors.ts';

type Event = Record<string, unknown> & { detail: Record<string, unknown> };
const sample = (): Event =>
  JSON.parse(readFileSync('events/release-automation.github/release-published.json', 'utf8')) as Event;

describe('parseGitHubReleaseEvent', () => {
  it('reads the published release the project bus carries', () => {
    expect(parseGitHubReleaseEvent(sample())).toEqual({
      at: '2026-12-01T10:00:03Z',
      gitHubReleaseId: 186223481,
      source: {
        kind: 'github-release',
        repository: 'example/web',
        tag: 'v2',
        commit: '9f2c3a1e0b8d4c6f7a5e3d2c1b0a9f8e7d6c5b4a',
        author: 'octocat',
        url: 'https://github.com/example/web/releases/tag/v2',
        deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        prerelease: false,
      },
    });
  });

  it('tells it from an ECR push', () => {
    expect(isGitHubReleaseEvent(sample())).toBe(true);
    expect(isGitHubReleaseEvent(JSON.parse(readFileSync('events/aws.ecr/push.json', 'utf8')))).toBe(false);
    expect(isGitHubReleaseEvent(null)).toBe(false);
  });

  it.each([
    ['a delivery id that cannot name a release', { deliveryId: 'a/b' }],
    ['a repository that is not owner/name', { repository: 'web' }],
    ['a tag with a space', { tag: 'v 2' }],
    ['a link that is not https', { url: 'http://github.com/example/web' }],
    ['no publication time', { publishedAt: undefined }],
    ['no GitHub release id', { gitHubReleaseId: undefined }],
    ['a GitHub release id that is no positive whole number', { gitHubReleaseId: 0.5 }],
  ])('refuses %s', (_name, change) => {
    const event = sample();
    event.detail = { ...event.detail, ...change };
    expect(() => parseGitHubReleaseEvent(event)).toThrow(InvalidInputError);
  });

  it('refuses another source', () => {
    expect(() => parseGitHubReleaseEvent({ ...sample(), source: 'someone.else' })).toThrow(InvalidInputError);
  });
});
