import { readFileSync } from 'node:fs';
import {
  DescribeImagesCommand,
  type DescribeImagesResponse,
  DescribeRepositoriesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import { parseGitHubReleaseEvent } from '../../../src/github/events/release.ts';
import {
  type GitHubReleasePublished,
  planGitHubRelease,
  recordedGitHubRelease,
} from '../../../src/github/plan-release.ts';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import { planRelease } from '../../../src/release/plan.ts';
import type { StoredRelease } from '../../../src/release/ports/release-store.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { PUSHED_DIGEST, WEB_41, webRelease } from '../../support/ecs-release.ts';
import { answerFromFixtures, catalogEnvironment, mockedPlanPorts } from '../../support/plan-ports.ts';

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const NOW = new Date('2026-12-01T10:00:10.000Z');
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
// The sample's GitHub release (events/release-automation.github/release-published.json).
const GITHUB_RELEASE = 'github-186223481';

const environment = catalogEnvironment;

// web: staging by push, production and canary from GitHub releases of example/web (canary also takes pre-releases).
const catalog = catalogSchema.parse({
  services: {
    web: {
      github: { repository: 'example/web' },
      environments: {
        staging: environment({}),
        production: environment({ service: 'web-production', trigger: 'github-release', slackChannel: '#production' }),
        canary: environment({ service: 'web-canary', trigger: 'github-release', prereleases: true }),
      },
    },
    api: {
      github: { repository: 'example/api' },
      environments: { production: environment({ service: 'api', repository: 'demo/api', trigger: 'github-release' }) },
    },
  },
});

const published = (): GitHubReleasePublished =>
  parseGitHubReleaseEvent(
    JSON.parse(readFileSync('events/release-automation.github/release-published.json', 'utf8')) as unknown,
  );
const withSource = (changes: Partial<GitHubReleasePublished['source']>): GitHubReleasePublished => {
  const release = published();
  return { ...release, source: { ...release.source, ...changes } };
};
const plan = (release: GitHubReleasePublished) =>
  planGitHubRelease(release, {
    catalog,
    ...mockedPlanPorts(),
    now: () => NOW,
  });
const describedImageCalls = () => ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input);

beforeEach(() => {
  answerFromFixtures(ecsMock, ecrMock);
  // ECR knows demo/web:v2 (the fixture's image, tagged v2 and latest); any other tag is ImageNotFoundException.
  ecrMock
    .on(DescribeImagesCommand)
    .rejects(awsError('ImageNotFoundException', "The image with imageId {imageTag:'x'} does not exist", 400));
  ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'demo/web', imageIds: [{ imageTag: 'v2' }] })
    .resolves(awsFixture<DescribeImagesResponse>('ecr/describe-images.json'));
});

afterEach(() => {
  ecsMock.reset();
  ecrMock.reset();
});

describe('planGitHubRelease', () => {
  it('releases the image the tag names, by its digest, to the github-release environments of that repository', async () => {
    const result = await plan(published());

    expect(result.refused).toBeUndefined();
    expect(result.refusedTargets).toEqual([]);
    // staging takes pushes only; canary takes releases too.
    expect(result.releases.map((release) => release.releaseId)).toEqual([
      `web-production-${GITHUB_RELEASE}`,
      `web-canary-${GITHUB_RELEASE}`,
    ]);
    expect(result.releases[0]).toMatchObject({
      target: { service: 'web', environment: 'production', ecsService: 'web-production', slackChannel: '#production' },
      // The very image an ECR push of demo/web:v2 releases.
      image: webRelease().image,
      trigger: { source: 'github-release', eventId: GITHUB_RELEASE, at: '2026-12-01T10:00:03Z' },
      source: {
        kind: 'github-release',
        repository: 'example/web',
        tag: 'v2',
        commit: '9f2c3a1e0b8d4c6f7a5e3d2c1b0a9f8e7d6c5b4a',
        author: 'octocat',
        url: 'https://github.com/example/web/releases/tag/v2',
        deliveryId: DELIVERY,
        prerelease: false,
      },
      currentTaskDefinitionArn: WEB_41,
    });
    // One lookup of the tag for both targets of demo/web.
    expect(describedImageCalls()).toEqual([
      { registryId: '123456789012', repositoryName: 'demo/web', imageIds: [{ imageTag: 'v2' }] },
    ]);
  });

  it('names the same releases for a redelivery (the same delivery id)', async () => {
    const first = await plan(published());
    const again = await plan(published());
    expect(again.releases.map((r) => r.releaseId)).toEqual(first.releases.map((r) => r.releaseId));
  });

  it('names the same releases for the signed body under another delivery id: X-GitHub-Delivery is not signed', async () => {
    const first = await plan(published());
    const replayed = await plan(withSource({ deliveryId: 'replay-2' }));
    expect(replayed.releases.map((r) => r.releaseId)).toEqual(first.releases.map((r) => r.releaseId));
    // Valid Step Functions execution names: at most 80 of letters, digits, "-" and "_".
    for (const { releaseId } of replayed.releases) expect(releaseId).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it('names other releases for another GitHub release of the same tag (deleted and published again)', async () => {
    const first = await plan(published());
    const other = await plan({ ...published(), gitHubReleaseId: 186223482 });
    expect(other.releases.map((r) => r.releaseId)).toEqual([
      'web-production-github-186223482',
      'web-canary-github-186223482',
    ]);
    expect(other.releases.map((r) => r.releaseId)).not.toEqual(first.releases.map((r) => r.releaseId));
  });

  it('refuses each target whose tag names no image, saying so where the target is announced, deploying nothing', async () => {
    const result = await plan(withSource({ tag: 'v3' }));

    expect(result.releases).toEqual([]);
    expect(result.refusedTargets).toEqual([
      expect.objectContaining({
        service: 'web',
        environment: 'production',
        slackChannel: '#production',
        reason:
          'GitHub release v3 of example/web: no image demo/web:v3 in the registry; nothing was deployed. Push the image with that tag, then redeliver the webhook from GitHub',
        source: expect.objectContaining({ tag: 'v3', deliveryId: DELIVERY }),
      }),
      expect.objectContaining({ service: 'web', environment: 'canary', slackChannel: '#releases' }),
    ]);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0);
  });

  it('refuses a tag that cannot be an image tag without asking ECR', async () => {
    const result = await plan(withSource({ tag: 'release/2.0' }));

    expect(result.releases).toEqual([]);
    expect(result.refusedTargets[0]?.reason).toContain('release/2.0 cannot be an image tag');
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('refuses a target whose ECR repository does not exist, with the reason', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException', 'no such repository', 400));
    const result = await plan(published());
    expect(result.refusedTargets.map((refused) => refused.reason)).toEqual([
      'GitHub release v2 of example/web: repository demo/web does not exist in registry 123456789012/us-east-1; nothing was deployed',
      'GitHub release v2 of example/web: repository demo/web does not exist in registry 123456789012/us-east-1; nothing was deployed',
    ]);
  });

  it('releases a pre-release only where the environment takes pre-releases', async () => {
    const result = await plan(withSource({ prerelease: true }));
    expect(result.releases.map((r) => r.target.environment)).toEqual(['canary']);
  });

  it('refuses a pre-release outright when no environment takes them', async () => {
    const result = await plan(withSource({ repository: 'example/api', prerelease: true }));
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused: 'v2 of example/api is a pre-release and no environment it feeds takes pre-releases',
    });
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('matches the repository as GitHub does, whatever its case', async () => {
    const result = await plan(withSource({ repository: 'Example/Web' }));
    expect(result.releases).toHaveLength(2);
  });

  it('refuses a repository the catalog takes no releases from', async () => {
    const result = await plan(withSource({ repository: 'someone/else' }));
    expect(result.refused).toBe('GitHub repository someone/else releases no environment of the catalog');
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('refuses a release dated more than five minutes ahead of the clock, touching nothing', async () => {
    const planned = plan({ ...published(), at: '2099-01-01T00:00:00Z' });
    await expect(planned).rejects.toBeInstanceOf(InvalidInputError);
    await expect(planned).rejects.toThrow('a release cannot come from the future');
    expect(ecrMock.calls()).toHaveLength(0);
  });
});

describe('a GitHub release whose images are in a tools account', () => {
  it("reads each environment's tag in its own registry: one lookup per registry", async () => {
    const tools = catalogSchema.parse({
      services: {
        web: {
          github: { repository: 'example/web' },
          environments: {
            production: environment({
              service: 'web-production',
              trigger: 'github-release',
              registry: { account: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/ecr-read' },
            }),
            canary: environment({ service: 'web-canary', trigger: 'github-release' }),
          },
        },
      },
    });
    ecrMock.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
    const result = await planGitHubRelease(published(), { catalog: tools, ...mockedPlanPorts(), now: () => NOW });
    expect(result.releases.map((release) => release.target.environment).sort()).toEqual(['canary', 'production']);
    expect(
      describedImageCalls()
        .map((input) => input.registryId)
        .sort(),
    ).toEqual(['123456789012', '333333333333']);
  });
});

describe('a push to a repository that feeds only github-release environments', () => {
  it('releases nothing: those environments take GitHub releases only', async () => {
    const result = await planRelease(
      { eventId: 'e-1', at: '2026-12-01T10:00:00Z', repository: 'demo/api', tag: 'v2', digest: PUSHED_DIGEST },
      {
        catalog,
        ...mockedPlanPorts(),
        now: () => NOW,
      },
    );
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused:
        'repository demo/api feeds only environments released from GitHub releases (api/production); a push releases nothing',
    });
    expect(ecrMock.calls()).toHaveLength(0);
  });
});

describe('recordedGitHubRelease', () => {
  // Records stand in by id: only whether one exists matters here.
  const recordedIn = (ids: string[]) => ({
    catalog,
    releases: {
      readRelease: async (releaseId: string) =>
        ids.includes(releaseId) ? ({ releaseId } as unknown as StoredRelease) : undefined,
    },
  });

  it('finds every release it asks for recorded: it was taken before', async () => {
    const taken = await recordedGitHubRelease(
      published(),
      recordedIn(['web-production-github-186223481', 'web-canary-github-186223481']),
    );
    expect(taken?.map((record) => record.releaseId)).toEqual([
      'web-production-github-186223481',
      'web-canary-github-186223481',
    ]);
  });

  it('is undefined while one of them has no record (its target was refused), so that it is planned again', async () => {
    expect(await recordedGitHubRelease(published(), recordedIn(['web-production-github-186223481']))).toBeUndefined();
    expect(await recordedGitHubRelease(published(), recordedIn([]))).toBeUndefined();
  });

  it('is undefined when it feeds no target: plan refuses it, and says why', async () => {
    const elsewhere = withSource({ repository: 'someone/else' });
    expect(await recordedGitHubRelease(elsewhere, recordedIn(['web-production-github-186223481']))).toBeUndefined();
  });
});
