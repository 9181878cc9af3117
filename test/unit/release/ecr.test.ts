import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { ImageNotFoundError, TransientError } from '../../../src/platform/errors.ts';
import { createEcrRegistry } from '../../../src/release/adapters/ecr.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import { LIVE_DIGEST, PUSHED_DIGEST, REPOSITORY_URI } from '../../support/ecs-release.ts';

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

  it('finds an image by its digest, with the push time to the millisecond', async () => {
    ecrMock.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
    const image = await createEcrRegistry(client).findImage('demo/web', PUSHED_DIGEST);
    expect(image).toEqual({ digest: PUSHED_DIGEST, pushedAt: '2026-11-21T10:15:30.517Z' });
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'demo/web',
      imageIds: [{ imageDigest: PUSHED_DIGEST }],
    });
  });

  it('finds no image for a digest the repository does not hold', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 'The image requested does not exist'));
    await expect(createEcrRegistry(client).findImage('demo/web', LIVE_DIGEST)).resolves.toBeUndefined();
  });

  it('fails as TransientError when ECR throttles the lookup', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(createEcrRegistry(client).findImage('demo/web', PUSHED_DIGEST)).rejects.toThrow(TransientError);
  });

  it('finds the image a tag names, with its digest (a GitHub release names its image by tag)', async () => {
    ecrMock.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
    const image = await createEcrRegistry(client).findTaggedImage('demo/web', 'v2');
    expect(image).toEqual({ digest: PUSHED_DIGEST, pushedAt: '2026-11-21T10:15:30.517Z' });
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'demo/web',
      imageIds: [{ imageTag: 'v2' }],
    });
  });

  it('finds no image for a tag the repository does not hold', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(awsError('ImageNotFoundException', "The image with imageId {imageTag:'v9'} does not exist"));
    await expect(createEcrRegistry(client).findTaggedImage('demo/web', 'v9')).resolves.toBeUndefined();
  });

  it('takes only an answer for the tag asked about', async () => {
    ecrMock.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
    await expect(createEcrRegistry(client).findTaggedImage('demo/web', 'v3')).resolves.toBeUndefined();
  });

  describe('in another account', () => {
    const TOOLS = { account: '333333333333', region: 'eu-west-1', roleArn: 'arn:aws:iam::333333333333:role/ecr-read' };
    const toolsUri = '333333333333.dkr.ecr.eu-west-1.amazonaws.com/demo/web';

    it('reads the registry of that account, with the client given for its region and role', async () => {
      const built: { registry: unknown; who: string }[] = [];
      const toolsClient = new ECRClient({ region: 'eu-west-1' });
      const registry = createEcrRegistry(client, (registry, who) => {
        built.push({ registry, who });
        return toolsClient;
      }).at(TOOLS, 'event-1');
      ecrMock.on(DescribeImagesCommand).resolves(awsFixture('ecr/describe-images.json'));
      await expect(registry.findImage('demo/web', PUSHED_DIGEST)).resolves.toMatchObject({ digest: PUSHED_DIGEST });
      expect(built).toEqual([{ registry: TOOLS, who: 'event-1' }]);
      expect(ecrMock.commandCalls(DescribeImagesCommand).map((call) => [call.thisValue, call.args[0].input])).toEqual([
        [
          toolsClient,
          { registryId: '333333333333', repositoryName: 'demo/web', imageIds: [{ imageDigest: PUSHED_DIGEST }] },
        ],
      ]);
    });

    it("remembers each registry's repository URI apart", async () => {
      ecrMock
        .on(DescribeRepositoriesCommand, { registryId: '333333333333' })
        .resolves({
          repositories: [{ repositoryName: 'demo/web', registryId: '333333333333', repositoryUri: toolsUri }],
        })
        .on(DescribeRepositoriesCommand, { registryId: '123456789012' })
        .resolves(awsFixture('ecr/describe-repositories.json'));
      const registry = createEcrRegistry(client);
      const home = { account: '123456789012', region: 'us-east-1' };
      await expect(registry.at(TOOLS, 'event-1').repositoryUri('demo/web')).resolves.toBe(toolsUri);
      await expect(registry.at(home, 'event-1').repositoryUri('demo/web')).resolves.toBe(REPOSITORY_URI);
      await expect(registry.at(TOOLS, 'event-2').repositoryUri('demo/web')).resolves.toBe(toolsUri);
      expect(ecrMock.commandCalls(DescribeRepositoriesCommand)).toHaveLength(2);
    });

    it('names the registry when the repository is not in it', async () => {
      ecrMock.on(DescribeImagesCommand).rejects(awsError('RepositoryNotFoundException', 'no such repository'));
      await expect(createEcrRegistry(client).at(TOOLS, 'event-1').findTaggedImage('demo/web', 'v2')).rejects.toThrow(
        'repository demo/web does not exist in registry 333333333333/eu-west-1',
      );
    });
  });
});
