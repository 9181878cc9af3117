import { readFileSync } from 'node:fs';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  type DescribeServicesResponse,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionResponse,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import { ImageNotFoundError, InvalidInputError, TransientError } from '../../../src/platform/errors.ts';
import { parseEcrPush } from '../../../src/release/events/ecr-push.ts';
import { type ImagePush, planRelease } from '../../../src/release/plan.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { LIVE_DIGEST, PUSHED_DIGEST, REPOSITORY_URI, WEB_41, webRelease } from '../../support/ecs-release.ts';
import { answerFromFixtures, catalogEnvironment, mockedPlanPorts } from '../../support/plan-ports.ts';

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const NOW = new Date('2026-11-21T10:15:40.000Z');

const environment = catalogEnvironment;

const catalog = catalogSchema.parse({
  services: {
    web: {
      environments: {
        staging: environment({}),
        production: environment({
          cluster: 'prod',
          tagFilter: { pattern: '^v\\d+\\.\\d+\\.\\d+$' },
          stabilityDeadlineSeconds: 1200,
        }),
      },
    },
    worker: {
      environments: { staging: environment({ service: 'worker', container: 'worker', tagFilter: { prefix: 'v' } }) },
    },
    api: { environments: { staging: environment({ service: 'api', repository: 'demo/api' }) } },
  },
});

const push = (): ImagePush => parseEcrPush(JSON.parse(readFileSync('events/aws.ecr/push.json', 'utf8')));
const plan = (event: ImagePush, ports: Partial<Parameters<typeof planRelease>[1]> = {}) =>
  planRelease(event, {
    catalog,
    ...mockedPlanPorts(),
    now: () => NOW,
    ...ports,
  });

const taskDefinition = (image: string, container = 'web') => {
  const described = awsFixture<DescribeTaskDefinitionResponse>('ecs/describe-task-definition.json');
  const [first, ...rest] = described.taskDefinition?.containerDefinitions ?? [];
  return {
    ...described,
    taskDefinition: {
      ...described.taskDefinition,
      containerDefinitions: [{ ...first, name: container, image }, ...rest],
    },
  };
};

// The worker service runs the same image in a container of its own name.
const WORKER_7 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/worker:7';
function workerService(): DescribeServicesResponse {
  const described = awsFixture<DescribeServicesResponse>('ecs/describe-services.json');
  return {
    ...described,
    services: described.services?.map((s) => ({ ...s, serviceName: 'worker', taskDefinition: WORKER_7 })),
  };
}
function workerTaskDefinition(): DescribeTaskDefinitionResponse {
  const described = taskDefinition(`${REPOSITORY_URI}@${LIVE_DIGEST}`, 'worker');
  return {
    ...described,
    taskDefinition: { ...described.taskDefinition, taskDefinitionArn: WORKER_7, family: 'worker', revision: 7 },
  };
}

beforeEach(() => {
  answerFromFixtures(ecsMock, ecrMock);
  ecsMock.on(DescribeServicesCommand, { services: ['worker'] }).resolves(workerService());
  ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: WORKER_7 }).resolves(workerTaskDefinition());
});

afterEach(() => {
  ecsMock.reset();
  ecrMock.reset();
});

describe('planRelease', () => {
  it('plans one release per target the repository and tag feed, pinned to the pushed digest', async () => {
    const result = await plan(push());

    expect(result.refused).toBeUndefined();
    // v2 is outside production's semver pattern and worker's filter accepts it: two targets,
    // each named by the image's digest (the event is the image's first push), as the reconciler names them.
    expect(result.releases.map((release) => release.releaseId)).toEqual([
      `web-staging-${PUSHED_DIGEST.replace(':', '-')}`,
      `worker-staging-${PUSHED_DIGEST.replace(':', '-')}`,
    ]);
    const [staging] = result.releases;
    // The story's release (support/ecs-release.ts), with ECR's imagePushedAt (finer than the
    // event's whole seconds) and the lock wait this plan computed.
    expect(staging).toEqual({
      ...webRelease(),
      releaseId: `web-staging-${PUSHED_DIGEST.replace(':', '-')}`,
      // now + the holder's whole lease (2 × 600 s + 900 s, no smoke checks) + 300 s
      lockWaitDeadline: '2026-11-21T10:55:40.000Z',
    });
    // The pushed digest is looked up in ECR, never the tag (it may have moved on since).
    expect(ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([
      { registryId: '123456789012', repositoryName: 'demo/web', imageIds: [{ imageDigest: PUSHED_DIGEST }] },
    ]);
  });

  it('names a later push of an already stored image (a new tag, or going back to it) by its event, not its digest', async () => {
    // ECR keeps the image's first push time: an event a minute after it is another push of it.
    const result = await plan({ ...push(), at: '2026-11-21T10:16:30Z' });
    expect(result.releases.map((release) => release.releaseId)).toEqual([
      'web-staging-13cde686-328b-6117-af20-0e5566167482',
      'worker-staging-13cde686-328b-6117-af20-0e5566167482',
    ]);
  });

  it('names a push the reconciler reports as its event would, and says the reconciler started it', async () => {
    const result = await plan({ ...push(), eventId: 'reconciled-elsewhere', reconciled: true });
    expect(result.releases.map((release) => release.releaseId)).toEqual([
      `web-staging-${PUSHED_DIGEST.replace(':', '-')}`,
      `worker-staging-${PUSHED_DIGEST.replace(':', '-')}`,
    ]);
    expect(result.releases.map((release) => release.trigger.source)).toEqual(['ecr-reconcile', 'ecr-reconcile']);
  });

  it('refuses a push dated more than five minutes ahead of the clock, touching nothing', async () => {
    const planned = plan({ ...push(), at: '2099-01-01T00:00:00Z' });
    await expect(planned).rejects.toBeInstanceOf(InvalidInputError);
    await expect(planned).rejects.toThrow(
      'is dated 2099-01-01T00:00:00Z, more than 5 minutes after now (2026-11-21T10:15:40.000Z)',
    );
    expect(ecsMock.calls()).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('accepts a push dated a little ahead of the clock (clocks differ slightly)', async () => {
    const result = await plan({ ...push(), at: '2026-11-21T10:20:40Z' });
    expect(result.releases).toHaveLength(2);
  });

  it('gives the same release ids for the same event, so a redelivery is recognised', async () => {
    const first = await plan(push());
    const again = await plan(push());
    expect(again.releases.map((r) => r.releaseId)).toEqual(first.releases.map((r) => r.releaseId));
  });

  it('releases a semantic version to every environment whose filter accepts it', async () => {
    const result = await plan({ ...push(), tag: 'v2.0.1' });
    expect(result.releases.map((r) => `${r.target.service}/${r.target.environment}`)).toEqual([
      'web/staging',
      'web/production',
      'worker/staging',
    ]);
    expect(result.releases[1]?.lockWaitDeadline).toBe('2026-11-21T11:15:40.000Z');
    expect(ecsMock.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input)).toContainEqual({
      cluster: 'prod',
      services: ['web'],
    });
  });

  it('refuses a push without a digest, without looking its tag up or touching anything', async () => {
    const { digest: _digest, ...withoutDigest } = push();
    const result = await plan(withoutDigest);
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused: 'the push of demo/web:v2 has no image digest; only images pinned by digest are released',
    });
    expect(ecrMock.calls()).toHaveLength(0);
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('refuses an image the registry does not hold, before reading any service', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(
        awsError('ImageNotFoundException', `The image with imageId {imageDigest:'${LIVE_DIGEST}'} does not exist`),
      );
    const result = await plan({ ...push(), digest: LIVE_DIGEST });
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused: `image ${LIVE_DIGEST} (demo/web:v2) is not in the registry; nothing to deploy`,
    });
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('fails with ImageNotFoundError when the repository is not in the registry', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(awsError('RepositoryNotFoundException', "The repository with name 'demo/web' does not exist"));
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(awsError('RepositoryNotFoundException', "The repository with name 'demo/web' does not exist"));
    const planned = plan(push());
    await expect(planned).rejects.toBeInstanceOf(ImageNotFoundError);
    await expect(planned).rejects.toThrow('repository demo/web does not exist in registry 123456789012/us-east-1');
  });

  it('marks a release a no-op when the digest already runs, naming the revision', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand, { taskDefinition: WEB_41 })
      .resolves(taskDefinition(`${REPOSITORY_URI}@${PUSHED_DIGEST}`));
    const result = await plan(push());
    expect(result.releases[0]?.noop).toBe(`${PUSHED_DIGEST} is already live in web:41`);
    // The worker runs another digest: it is released.
    expect(result.releases[1]).not.toHaveProperty('noop');
  });

  it('is not a no-op when another digest runs', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand, { taskDefinition: WEB_41 })
      .resolves(taskDefinition(`${REPOSITORY_URI}@${LIVE_DIGEST}`));
    const result = await plan(push());
    expect(result.releases[0]).not.toHaveProperty('noop');
  });

  it('refuses a repository the catalog does not know, without calling AWS', async () => {
    const result = await plan({ ...push(), repository: 'someone/else' });
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused: 'repository someone/else is not in the service catalog',
    });
    expect(ecsMock.calls()).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('refuses a push from an account the catalog does not name, without calling AWS', async () => {
    const result = await plan({ ...push(), account: '444444444444' });
    expect(result.refused).toBe('account 444444444444 is not named in the catalog: a push there releases nothing');
    expect(ecsMock.calls()).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it("reads a push in the tools account's registry there, and releases the environments whose images are stored there", async () => {
    const tools = catalogSchema.parse({
      services: {
        web: {
          environments: {
            staging: environment({ registry: { account: '333333333333' } }),
            dev: environment({ cluster: 'dev' }),
          },
        },
      },
    });
    const result = await plan({ ...push(), account: '333333333333' }, { catalog: tools });
    expect(result.releases.map((release) => release.target.environment)).toEqual(['staging']);
    expect(ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input.registryId)).toEqual([
      '333333333333',
    ]);
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand).map((call) => call.args[0].input.registryId)).toEqual([
      '333333333333',
    ]);
  });

  it("refuses a push whose registry does not let the automation read it, naming the registry and ECR's reason", async () => {
    const tools = catalogSchema.parse({
      services: { web: { environments: { staging: environment({ registry: { account: '333333333333' } }) } } },
    });
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(awsError('AccessDeniedException', 'no resource-based policy allows the ecr:DescribeImages action', 400));
    const result = await plan({ ...push(), account: '333333333333' }, { catalog: tools });
    expect(result.releases).toEqual([]);
    expect(result.refused).toBe(
      'registry 333333333333/us-east-1 does not let the automation read demo/web: no resource-based policy allows the ecr:DescribeImages action',
    );
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('refuses a tag outside every filter, naming the filters', async () => {
    const result = await plan(
      { ...push(), tag: 'latest', repository: 'demo/web' },
      {
        catalog: catalogSchema.parse({
          services: {
            web: {
              environments: {
                production: environment({ tagFilter: { pattern: '^v\\d+\\.\\d+\\.\\d+$' } }),
                preview: environment({ tagFilter: { prefix: 'pr-' } }),
              },
            },
          },
        }),
      },
    );
    expect(result).toEqual({
      releases: [],
      refusedTargets: [],
      refused:
        'tag latest of demo/web matches no tag filter: web/production (pattern /^v\\d+\\.\\d+\\.\\d+$/), web/preview (prefix "pr-")',
    });
  });

  it('refuses a push without a tag (a manifest pushed by digest)', async () => {
    const { tag: _tag, ...untagged } = push();
    const result = await plan(untagged);
    expect(result.releases).toEqual([]);
    expect(result.refused).toBe(`the push to demo/web has no tag (${PUSHED_DIGEST}); only tagged images are released`);
  });

  // One target's missing service or container refuses that target alone: the
  // push still releases to the others (web/staging and worker/staging here).
  const planWithRefusal = async () => {
    const result = await plan(push());
    return {
      released: result.releases.map((r) => `${r.target.service}/${r.target.environment}`),
      refused: result.refusedTargets,
    };
  };

  it('refuses a target whose ECS service does not exist, and releases the others', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services-missing.json'));
    ecsMock.on(DescribeServicesCommand, { services: ['worker'] }).resolves(workerService());
    expect(await planWithRefusal()).toEqual({
      released: ['worker/staging'],
      refused: [
        {
          service: 'web',
          environment: 'staging',
          reason: 'ECS service web in cluster sandbox (catalog web/staging) does not exist',
          // Where the refusal is announced.
          slackChannel: '#releases',
        },
      ],
    });
  });

  it('refuses a target whose cluster does not exist', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    ecsMock.on(DescribeServicesCommand, { services: ['worker'] }).resolves(workerService());
    const { released, refused } = await planWithRefusal();
    expect(released).toEqual(['worker/staging']);
    expect(refused).toEqual([expect.objectContaining({ service: 'web', environment: 'staging' })]);
  });

  it('refuses a target whose service is being deleted', async () => {
    const described = awsFixture<DescribeServicesResponse>('ecs/describe-services.json');
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ ...described, services: described.services?.map((s) => ({ ...s, status: 'DRAINING' })) });
    const { refused } = await planWithRefusal();
    expect(refused[0]?.reason).toContain('is DRAINING, not ACTIVE');
  });

  it("refuses a target whose live revision lacks the catalog's container", async () => {
    ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: WORKER_7 }).resolves(taskDefinition('busybox', 'app'));
    const { released, refused } = await planWithRefusal();
    expect(released).toEqual(['web/staging']);
    expect(refused).toEqual([
      {
        service: 'worker',
        environment: 'staging',
        reason: expect.stringContaining('has no container named "worker" (it has: app, log-router)'),
        slackChannel: '#releases',
      },
    ]);
  });

  it('fails as a whole on an AWS failure that is not about one target (retried by the state machine)', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    await expect(plan(push())).rejects.toThrow(TransientError);
  });
});
