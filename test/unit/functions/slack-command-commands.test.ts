import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { ReleaseRequest } from '../../../src/release/release.ts';
import { call, dynamo, SECRET, sfn, useSlackCommand, writes } from '../../support/slack-command-fixture.ts';
import { commandEvent, replyOf } from '../../support/slack-events.ts';

// Every /release command's happy path and its errors, through the handler.
// gate/production: deploy by U0DEPLOYER or U0APPROVER, roll back by approvers
// (U0APPROVER, group S0RELEASERS); web/staging names nobody.

const V1_DIGEST = `sha256:${'1'.repeat(64)}`;
const REPOSITORY_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/gate';

useSlackCommand();
// ECS and ECR as /release deploy, rollback and status read them (aws-sdk-client-mock):
// every service runs web:1, whose `web` container runs V1_DIGEST; a tag `vN` names
// the digest sha256:N…N, any other tag none; every digest is in the registry.
const LIVE = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const ecs = mockClient(ECSClient);
const ecr = mockClient(ECRClient);
beforeAll(() => {
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'web', status: 'ACTIVE', desiredCount: 2, runningCount: 2, taskDefinition: LIVE }],
    failures: [],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: LIVE,
      family: 'web',
      revision: 1,
      containerDefinitions: [{ name: 'web', image: `${REPOSITORY_URI}@${V1_DIGEST}`, essential: true }],
    },
  });
  ecr.on(DescribeRepositoriesCommand).callsFake((input: { repositoryNames?: string[] }) => ({
    repositories: (input.repositoryNames ?? []).map((name) => ({
      repositoryName: name,
      repositoryUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`,
    })),
  }));
  ecr
    .on(DescribeImagesCommand)
    .callsFake((input: { repositoryName?: string; imageIds?: { imageDigest?: string; imageTag?: string }[] }) => {
      const id = input.imageIds?.[0];
      const n = /^v(\d)$/.exec(id?.imageTag ?? '')?.[1];
      const digest = id?.imageTag === undefined ? id?.imageDigest : n && `sha256:${n.repeat(64)}`;
      if (!digest) {
        throw Object.assign(new Error('The image requested does not exist.'), {
          name: 'ImageNotFoundException',
          $fault: 'client',
        });
      }
      const imageTags = id?.imageTag === undefined ? [] : [id.imageTag];
      return {
        imageDetails: [
          { repositoryName: input.repositoryName, imageDigest: digest, imageTags, imagePushedAt: new Date() },
        ],
      };
    });
});
afterAll(() => {
  ecs.restore();
  ecr.restore();
});

const slash = async (line: string, user = 'U0APPROVER') => replyOf(await call(commandEvent(line, user, SECRET)));
const started = () =>
  sfn
    .commandCalls(StartExecutionCommand)
    .map((c) => JSON.parse(c.args[0].input.input ?? '{}') as { releases: ReleaseRequest[] });

const record = (changes: Record<string, unknown>) => ({
  releaseId: 'gate-production-a',
  executionId: 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:a',
  target: 'gate#production',
  service: 'gate',
  environment: 'production',
  trigger: { source: 'ecr-push', eventId: 'a', at: '2026-12-01T10:00:00.000Z' },
  repository: 'demo/gate',
  tag: 'v7',
  digest: `sha256:${'7'.repeat(64)}`,
  image: `demo/gate@sha256:${'7'.repeat(64)}`,
  startedAt: '2026-12-01T10:00:00.000Z',
  endedAt: '2026-12-01T10:05:00.000Z',
  outcome: 'SUCCEEDED',
  ...changes,
});

describe('/release help and bad input', () => {
  it.each([
    ['/release', /`\/release deploy <service> <tag> \[env\] \[--hotfix\]`/],
    ['/release help', /`\/release rollback <service> \[env\]`/],
    ['/release frobnicate web', /^Unknown command `frobnicate`/],
    ['/release deploy', /^Usage: `\/release deploy <service> <tag> \[env\] \[--hotfix\]`/],
    ['/release deploy gate v2 production --force', /^Unknown option `--force`/],
    ['/release deploy Gate! v2', /is not a service or environment name/],
    ['/release deploy gate <@U1|x>', /is not an image tag/],
    ['/release history', /^Usage: `\/release history <service>`/],
    ['/release approve', /^Usage: `\/release approve <id>`/],
  ])('%s → a clear reply, nothing started', async (line, reply) => {
    expect((await slash(line)).text).toMatch(reply);
    expect(writes()).toBe(0);
  });
});

describe('/release status and history', () => {
  it('lists recent releases, and a service’s with who decided its approval', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [record({})] });
    expect((await slash('/release status')).text).toMatch(/^`gate-production-a` gate\/production `v7` \*SUCCEEDED\*/);
    dynamo.on(ScanCommand).resolves({
      Items: [
        record({
          outcome: 'NOT_APPROVED',
          decisions: [
            {
              approvalId: 'abcdefgh',
              verdict: 'REJECTED',
              by: 'U0GROUPIE',
              at: '2026-12-01T10:01:00.000Z',
              reason: 'not now',
            },
          ],
        }),
      ],
    });
    expect((await slash('/release history gate')).text).toMatch(
      /\*NOT_APPROVED\*[^\n]*\n {4}rejected by <@U0GROUPIE> at 2026-12-01T10:01:00.000Z: not now/,
    );
    expect(writes()).toBe(0);
  });

  it('says so for an unknown service', async () => {
    expect((await slash('/release status nope')).text).toBe('Unknown service `nope`.');
    expect((await slash('/release history nope')).text).toBe('Unknown service `nope`.');
  });
});

describe('/release deploy', () => {
  it('starts a release of the tag’s image by digest, marked hotfix when asked, asked by the Slack user', async () => {
    const reply = await slash('/release deploy gate v3 --hotfix', 'U0DEPLOYER');
    expect(reply).toMatchObject({
      responseType: 'in_channel',
      text: expect.stringMatching(/^Hotfixing gate\/production to `v3`.*waits for an approval/),
    });
    const request = started()[0]?.releases[0];
    expect(request).toMatchObject({
      target: { service: 'gate', environment: 'production', approval: { via: 'slack', timeoutSeconds: 3600 } },
      image: { repository: 'demo/gate', tag: 'v3', digest: `sha256:${'3'.repeat(64)}` },
      trigger: { source: 'slack-command' },
      requestedBy: { slackUserId: 'U0DEPLOYER' },
      hotfix: true,
    });
  });

  it('starts two releases for two commands in the same second, and one for the same command twice', async () => {
    const at = Math.floor(Date.now() / 1000);
    for (const line of ['/release deploy gate v3', '/release deploy gate v4', '/release deploy gate v4']) {
      await call(commandEvent(line, 'U0DEPLOYER', SECRET, at));
    }
    const names = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    const ids = started().map((input) => input.releases[0]?.releaseId);
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(2);
    expect(names[2]).toBe(names[1]);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(new RegExp(`^gate-production-slack-${at}-U0DEPLOYER-[0-9a-f]{8}$`));
  });

  it.each([
    ['/release deploy nope v3', 'U0DEPLOYER', 'Unknown service `nope`.'],
    ['/release deploy gate v3 staging', 'U0DEPLOYER', /^gate has no environment `staging`/],
    ['/release deploy gate vmissing', 'U0DEPLOYER', 'There is no image tagged `vmissing` in demo/gate.'],
    ['/release deploy gate v3', 'U0STRANGER', 'You may not deploy gate/production.'],
    [
      '/release deploy web v3 staging',
      'U0DEPLOYER',
      'Nobody may deploy web/staging from Slack (the catalog names no one).',
    ],
    ['/release deploy gate v1', 'U0DEPLOYER', /^Nothing to do: .* is already live/],
  ])('%s by %s → %s, nothing started', async (line, user, reply) => {
    const answer = await slash(line, user);
    if (typeof reply === 'string') expect(answer.text).toBe(reply);
    else expect(answer.text).toMatch(reply);
    expect(writes()).toBe(0);
  });
});

describe('/release rollback', () => {
  it('starts a hotfix release of the newest successful release that is not live', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        record({ releaseId: 'gate-production-b', tag: 'v9', digest: V1_DIGEST, outcome: 'SUCCEEDED' }),
        record({}),
      ],
    });
    const reply = await slash('/release rollback gate', 'U0GROUPIE');
    expect(reply.text).toMatch(/^Rolling back gate\/production to `v7`/);
    expect(started()[0]?.releases[0]).toMatchObject({
      image: { tag: 'v7', digest: `sha256:${'7'.repeat(64)}` },
      hotfix: true,
    });
  });

  it('refuses without an earlier good release, or for someone without the right', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [record({ digest: V1_DIGEST })] });
    expect((await slash('/release rollback gate', 'U0GROUPIE')).text).toBe(
      'gate/production has no earlier successful release to roll back to.',
    );
    expect((await slash('/release rollback gate', 'U0DEPLOYER')).text).toBe('You may not rollback gate/production.');
    expect(writes()).toBe(0);
  });
});

describe('/release promote and abort', () => {
  const held = {
    lockKey: 'gate#production',
    holder: 'gate-production-a',
    holderExecutionId: 'x',
    holderTag: 'v7',
    expiresAt: '2099-01-01T00:00:00.000Z',
  };

  it('asks the running release to promote or abort', async () => {
    dynamo.on(GetCommand).resolves({ Item: held });
    dynamo.on(UpdateCommand).resolves({});
    expect((await slash('/release promote gate production', 'U0DEPLOYER')).text).toMatch(
      /^promote of release gate-production-a .* requested by U0DEPLOYER/,
    );
    expect((await slash('/release abort gate production', 'U0APPROVER')).text).toMatch(
      /^abort of release gate-production-a/,
    );
  });

  it('says when nothing runs, and refuses someone without the right', async () => {
    dynamo.on(GetCommand).resolves({});
    expect((await slash('/release promote gate production', 'U0DEPLOYER')).text).toBe(
      'no release of gate/production is running',
    );
    expect((await slash('/release abort gate', 'U0APPROVER')).text).toBe('No release of gate is running.');
    dynamo.on(GetCommand).resolves({ Item: held });
    expect((await slash('/release abort gate production', 'U0DEPLOYER')).text).toBe(
      'You may not abort gate/production.',
    );
    expect((await slash('/release promote nope')).text).toBe('Unknown service `nope`.');
    expect(writes()).toBe(0);
  });
});

describe('names a plain object already has', () => {
  // Service and environment names are looked up in the catalog: `constructor`
  // and the like must be unknown names there, not inherited members.
  it.each([
    ['/release deploy constructor v3 production', 'Unknown service `constructor`.'],
    ['/release deploy gate v3 constructor', /^gate has no environment `constructor` \(it has production\)/],
    ['/release rollback constructor', 'Unknown service `constructor`.'],
    ['/release rollback gate constructor', /^gate has no environment `constructor`/],
    ['/release promote constructor production', 'Unknown service `constructor`.'],
    ['/release promote gate constructor', /^gate has no environment `constructor`/],
    ['/release abort gate constructor', /^gate has no environment `constructor`/],
    ['/release status constructor', 'Unknown service `constructor`.'],
    ['/release history constructor', 'Unknown service `constructor`.'],
    ['/release deploy __proto__ v3', /is not a service or environment name/],
    ['/release deploy gate v3 __proto__', /is not a service or environment name/],
    ['/release promote toString', /is not a service or environment name/],
    ['/release abort gate toString', /is not a service or environment name/],
  ])('%s → %s, nothing started', async (line, reply) => {
    dynamo.on(GetCommand).resolves({});
    const answer = await slash(line, 'U0APPROVER');
    if (typeof reply === 'string') expect(answer.text).toBe(reply);
    else expect(answer.text).toMatch(reply);
    expect(writes()).toBe(0);
  });
});

describe('/release rotate', () => {
  it('says the catalog has no secrets, and rotates nothing (its rotators: slack-command-rotate.test.ts)', async () => {
    expect((await slash('/release rotate /app/db-password')).text).toBe(
      'Unknown secret `/app/db-password`: the catalog has no secrets. Nothing was rotated.',
    );
    expect(writes()).toBe(0);
  });
});
