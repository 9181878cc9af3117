import type { DescribeTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import { describe, expect, it } from '@jest/globals';
import { ContainerNotFoundError } from '../../../src/platform/errors.ts';
import type { TaskDefinition } from '../../../src/release/ports/ecs.ts';
import { RELEASE_ID_TAG, reviseTaskDefinition } from '../../../src/release/task-definition.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { PUSHED_DIGEST, REPOSITORY_URI } from '../../support/ecs-release.ts';

const NEW_IMAGE = `${REPOSITORY_URI}@${PUSHED_DIGEST}`;
const RELEASE_ID = 'web-staging-13cde686-328b-6117-af20-0e5566167482';
const releaseTag = { key: RELEASE_ID_TAG, value: RELEASE_ID };

function described() {
  const { taskDefinition, tags } = awsFixture<DescribeTaskDefinitionResponse>('ecs/describe-task-definition.json');
  return { taskDefinition: taskDefinition as TaskDefinition, tags: tags ?? [] };
}

describe('reviseTaskDefinition', () => {
  it('copies every field a user can set, with only the named container on the new image', () => {
    const { taskDefinition, tags } = described();
    const revision = reviseTaskDefinition(taskDefinition, 'web', NEW_IMAGE, tags, RELEASE_ID);

    const {
      taskDefinitionArn,
      revision: _revision,
      status,
      requiresAttributes,
      compatibilities,
      registeredAt,
      registeredBy,
      ...settable
    } = taskDefinition;
    const [web, logRouter] = taskDefinition.containerDefinitions;
    expect(revision).toEqual({
      ...settable,
      containerDefinitions: [{ ...web, image: NEW_IMAGE }, logRouter],
      tags: [{ key: 'team', value: 'web' }, { key: 'cost-center', value: '4711' }, releaseTag],
    });
  });

  it('drops every read-only field ECS sets, so RegisterTaskDefinition accepts the copy', () => {
    const { taskDefinition } = described();
    const deleting = { ...taskDefinition, deregisteredAt: new Date(), deleteRequestedAt: new Date() };
    const revision = reviseTaskDefinition(deleting, 'web', NEW_IMAGE, [], RELEASE_ID);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'deregisteredAt',
      'deleteRequestedAt',
    ]) {
      expect(revision).not.toHaveProperty(field);
    }
    expect(revision.tags).toEqual([releaseTag]);
  });

  it('leaves out tags AWS reserves, which RegisterTaskDefinition would reject', () => {
    const { taskDefinition } = described();
    const revision = reviseTaskDefinition(
      taskDefinition,
      'web',
      NEW_IMAGE,
      [
        { key: 'aws:cloudformation:stack-name', value: 'web' },
        { key: 'team', value: 'web' },
      ],
      RELEASE_ID,
    );
    expect(revision.tags).toEqual([{ key: 'team', value: 'web' }, releaseTag]);
  });

  it('tags the revision with this release, not with the release that registered the copied one', () => {
    const { taskDefinition } = described();
    const revision = reviseTaskDefinition(
      taskDefinition,
      'web',
      NEW_IMAGE,
      [
        { key: RELEASE_ID_TAG, value: 'web-staging-an-earlier-release' },
        { key: 'team', value: 'web' },
      ],
      RELEASE_ID,
    );
    expect(revision.tags).toEqual([{ key: 'team', value: 'web' }, releaseTag]);
  });

  it('does not change the task definition it copies', () => {
    const { taskDefinition, tags } = described();
    const before = structuredClone(taskDefinition);
    reviseTaskDefinition(taskDefinition, 'web', NEW_IMAGE, tags, RELEASE_ID);
    expect(taskDefinition).toEqual(before);
  });

  it('refuses a container the task definition does not have, naming the ones it has', () => {
    const { taskDefinition, tags } = described();
    expect(() => reviseTaskDefinition(taskDefinition, 'api', NEW_IMAGE, tags, RELEASE_ID)).toThrow(
      ContainerNotFoundError,
    );
    expect(() => reviseTaskDefinition(taskDefinition, 'api', NEW_IMAGE, tags, RELEASE_ID)).toThrow(
      'task definition web:41 has no container named "api" (it has: web, log-router)',
    );
  });
});
