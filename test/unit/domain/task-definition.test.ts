import type { DescribeTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import { describe, expect, it } from '@jest/globals';
import { ContainerNotFoundError } from '../../../src/domain/errors.ts';
import { reviseTaskDefinition } from '../../../src/domain/task-definition.ts';
import type { TaskDefinition } from '../../../src/ports/ecs.ts';
import { awsFixture } from '../../support/aws-fixture.ts';
import { PUSHED_DIGEST, REPOSITORY_URI } from '../../support/ecs-release.ts';

const NEW_IMAGE = `${REPOSITORY_URI}@${PUSHED_DIGEST}`;

function described() {
  const { taskDefinition, tags } = awsFixture<DescribeTaskDefinitionResponse>('ecs/describe-task-definition.json');
  return { taskDefinition: taskDefinition as TaskDefinition, tags: tags ?? [] };
}

describe('reviseTaskDefinition', () => {
  it('copies every field a user can set, with only the named container on the new image', () => {
    const { taskDefinition, tags } = described();
    const revision = reviseTaskDefinition(taskDefinition, 'web', NEW_IMAGE, tags);

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
      tags: [
        { key: 'team', value: 'web' },
        { key: 'cost-center', value: '4711' },
      ],
    });
  });

  it('drops every read-only field ECS sets, so RegisterTaskDefinition accepts the copy', () => {
    const { taskDefinition } = described();
    const deleting = { ...taskDefinition, deregisteredAt: new Date(), deleteRequestedAt: new Date() };
    const revision = reviseTaskDefinition(deleting, 'web', NEW_IMAGE, []);
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
    expect(revision).not.toHaveProperty('tags');
  });

  it('leaves out tags AWS reserves, which RegisterTaskDefinition would reject', () => {
    const { taskDefinition } = described();
    const revision = reviseTaskDefinition(taskDefinition, 'web', NEW_IMAGE, [
      { key: 'aws:cloudformation:stack-name', value: 'web' },
      { key: 'team', value: 'web' },
    ]);
    expect(revision.tags).toEqual([{ key: 'team', value: 'web' }]);
  });

  it('does not change the task definition it copies', () => {
    const { taskDefinition, tags } = described();
    const before = structuredClone(taskDefinition);
    reviseTaskDefinition(taskDefinition, 'web', NEW_IMAGE, tags);
    expect(taskDefinition).toEqual(before);
  });

  it('refuses a container the task definition does not have, naming the ones it has', () => {
    const { taskDefinition, tags } = described();
    expect(() => reviseTaskDefinition(taskDefinition, 'api', NEW_IMAGE, tags)).toThrow(ContainerNotFoundError);
    expect(() => reviseTaskDefinition(taskDefinition, 'api', NEW_IMAGE, tags)).toThrow(
      'task definition web:41 has no container named "api" (it has: web, log-router)',
    );
  });
});
