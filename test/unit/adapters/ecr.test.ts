import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createEcrRegistry } from '../../../src/adapters/ecr.ts';
import { ImageNotFoundError, TransientError } from '../../../src/domain/errors.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { PUSHED_DIGEST, REPOSITORY_URI } from '../../support/ecs-release.ts';

const ecrMock = mockClient(ECRClient);
const client = new ECRClient({ region: 'us-east-1' });

afterEach(() => {
  ecrMock.reset();
});

describe('the ECR registry adapter', () => {
  it('looks a repository URI up once and remembers it', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves(awsFixture('ecr/describe-repositories.json'));
    const registry = createEcrRegistry(client);
    await expect(registry.repositoryUri('demo/web')).resolves.toBe(REPOSITORY_URI);
    await expect(registry.repositoryUri('demo/web')).resolves.toBe(REPOSITORY_URI);
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)).toHaveLength(1);
  });

  it('does not remember a failed lookup', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves(awsFixture('ecr/describe-repositories.json'));
    const registry = createEcrRegistry(client);
    await expect(registry.repositoryUri('demo/web')).rejects.toThrow(TransientError);
    await expect(registry.repositoryUri('demo/web')).resolves.toBe(REPOSITORY_URI);
  });

  it('reports a missing repository as ImageNotFoundError', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(awsError('RepositoryNotFoundException', "The repository with name 'demo/gone' does not exist"));
    const lookup = createEcrRegistry(client).repositoryUri('demo/gone');
    await expect(lookup).rejects.toThrow(ImageNotFoundError);
    await expect(lookup).rejects.toThrow('repository demo/gone does not exist in the registry');
  });

  it('resolves a tag to its digest, and a missing tag to none', async () => {
    ecrMock.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
    const registry = createEcrRegistry(client);
    await expect(registry.digestOf('demo/web', 'v2')).resolves.toBe(PUSHED_DIGEST);
    ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 'The image requested does not exist'));
    await expect(registry.digestOf('demo/web', 'v9')).resolves.toBeUndefined();
  });
});
