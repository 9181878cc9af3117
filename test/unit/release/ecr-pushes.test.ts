import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { TransientError } from '../../../src/platform/errors.ts';
import { createEcrPushes } from '../../../src/release/adapters/ecr-pushes.ts';
import { awsError } from '../../support/aws-fixture.ts';

// DescribeImages filters by tag status only and promises no order: the
// adapter reads every page and keeps the images pushed since the mark.

const ecr = mockClient(ECRClient);
const HOME = { account: '123456789012', region: 'us-east-1' };
afterEach(() => {
  ecr.reset();
});

const detail = (n: number, pushedAt: string, tags = [`v${n}`]) => ({
  repositoryName: 'demo/web',
  imageDigest: `sha256:${String(n).repeat(64)}`,
  imageTags: tags,
  imagePushedAt: new Date(pushedAt),
});

describe('the pushed-images adapter over ECR', () => {
  it('reads every page of tagged images and keeps those pushed since the mark', async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolvesOnce({
        imageDetails: [detail(1, '2026-11-21T10:20:00Z'), detail(2, '2026-11-21T10:26:00Z')],
        nextToken: 'page-2',
      })
      .resolvesOnce({ imageDetails: [detail(3, '2026-11-21T10:27:30.517Z')] });

    const images = await createEcrPushes(new ECRClient({ region: 'us-east-1' })).pushedSince(
      HOME,
      'demo/web',
      new Date('2026-11-21T10:25:00Z'),
    );

    expect(images.map((image) => [image.digest.slice(7, 8), image.tags, image.pushedAt])).toEqual([
      ['2', ['v2'], '2026-11-21T10:26:00.000Z'],
      ['3', ['v3'], '2026-11-21T10:27:30.517Z'],
    ]);
    // Two pages, each a page of 1,000 tagged images (the paginator reuses its input object, so
    // the first call's recorded input shows the second's token too).
    const calls = ecr.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({
      repositoryName: 'demo/web',
      filter: { tagStatus: 'TAGGED' },
      maxResults: 1000,
      nextToken: 'page-2',
    });
  });

  it('reads a repository that does not exist (not created yet, or deleted) as holding no pushes', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(awsError('RepositoryNotFoundException', "The repository with name 'demo/shop' does not exist"));

    const pushes = createEcrPushes(new ECRClient({ region: 'us-east-1' }));
    await expect(pushes.pushedSince(HOME, 'demo/shop', new Date())).resolves.toEqual([]);
  });

  it('fails with TransientError when ECR throttles past the SDK retries (the schedule runs again)', async () => {
    ecr.on(DescribeImagesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    const client = new ECRClient({ region: 'us-east-1', maxAttempts: 1 });

    await expect(createEcrPushes(client).pushedSince(HOME, 'demo/web', new Date())).rejects.toBeInstanceOf(
      TransientError,
    );
  });

  it("reads another account's registry by its id, with the client given for its region and role", async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [detail(4, '2026-11-21T10:26:00Z')] });
    const tools = { account: '333333333333', region: 'eu-west-1', roleArn: 'arn:aws:iam::333333333333:role/ecr-read' };
    const toolsClient = new ECRClient({ region: 'eu-west-1' });
    const asked: unknown[] = [];
    const pushes = createEcrPushes(new ECRClient({ region: 'us-east-1' }), (registry) => {
      asked.push(registry);
      return toolsClient;
    });

    await expect(pushes.pushedSince(tools, 'demo/web', new Date('2026-11-21T10:25:00Z'))).resolves.toHaveLength(1);
    expect(asked).toEqual([tools]);
    const [call] = ecr.commandCalls(DescribeImagesCommand);
    expect(call?.thisValue).toBe(toolsClient);
    expect(call?.args[0].input).toMatchObject({ registryId: '333333333333', repositoryName: 'demo/web' });
  });
});
