import { readFileSync } from 'node:fs';
import type { ImageDetail, Repository } from '@aws-sdk/client-ecr';
import { EcrEmulator } from '../../../sandbox/ecr/emulator.ts';
import { DOCKER_MANIFEST_V2, digestOf, inventManifest } from '../../../sandbox/ecr/manifest.ts';
import type { EcrImageActionEvent } from '../../../sandbox/ecr/push-event.ts';
import { EcrRegistry } from '../../../sandbox/ecr/registry.ts';
import { Arns, defaultLocation } from '../../../sandbox/ecs/arn.ts';
import { call } from '../support/ecs-world.ts';

// The ECR emulator through its operations, and the push events it sends.

const sample = JSON.parse(
  readFileSync(new URL('../../../events/aws.ecr/push.json', import.meta.url), 'utf8'),
) as EcrImageActionEvent;

let events: EcrImageActionEvent[];
let ecr: EcrEmulator;

beforeEach(async () => {
  events = [];
  ecr = new EcrEmulator({
    location: defaultLocation,
    registry: new EcrRegistry(new Arns(defaultLocation)),
    onPush: (event) => {
      events.push(event);
    },
  });
  await ecr.handle('CreateRepository', { repositoryName: 'demo/web' });
});

const delivered = () => new Promise((resolve) => setImmediate(resolve));

describe('ECR repositories', () => {
  it('creates and describes a repository with its URI', async () => {
    const { repositories } = await call<{ repositories: Repository[] }>(ecr, 'DescribeRepositories', {
      repositoryNames: ['demo/web'],
    });
    expect(repositories).toEqual([
      expect.objectContaining({
        repositoryName: 'demo/web',
        repositoryArn: 'arn:aws:ecr:us-east-1:000000000000:repository/demo/web',
        registryId: '000000000000',
        repositoryUri: '000000000000.dkr.ecr.us-east-1.localhost/demo/web',
        imageTagMutability: 'MUTABLE',
      }),
    ]);
    expect(repositories[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('refuses duplicates, bad names and unknown repositories', async () => {
    await expect(ecr.handle('CreateRepository', { repositoryName: 'demo/web' })).rejects.toMatchObject({
      code: 'RepositoryAlreadyExistsException',
    });
    await expect(ecr.handle('CreateRepository', { repositoryName: 'Demo/Web' })).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
    await expect(ecr.handle('DescribeRepositories', { repositoryNames: ['nope'] })).rejects.toMatchObject({
      code: 'RepositoryNotFoundException',
      message: "The repository with name 'nope' does not exist in the registry with id '000000000000'",
    });
    await expect(ecr.push('nope', 'v1')).rejects.toMatchObject({ code: 'RepositoryNotFoundException' });
  });
});

describe('pushing', () => {
  it('sends an ECR Image Action event shaped exactly like AWS', async () => {
    const pushed = await ecr.push('demo/web', 'v2');
    await delivered();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(Object.keys(event ?? {}).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(event?.detail ?? {}).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'ECR Image Action',
      source: 'aws.ecr',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      detail: {
        result: 'SUCCESS',
        'repository-name': 'demo/web',
        'image-digest': pushed.imageDigest,
        'action-type': 'PUSH',
        'image-tag': 'v2',
      },
    });
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pushed).toMatchObject({
      imageTag: 'v2',
      imageUri: `000000000000.dkr.ecr.us-east-1.localhost/demo/web@${pushed.imageDigest}`,
      event,
    });
  });

  it('gives the same build the same digest and sends no event when nothing changed', async () => {
    const first = await ecr.push('demo/web', 'v2');
    const again = await ecr.push('demo/web', 'v2');
    await delivered();
    expect(again.imageDigest).toBe(first.imageDigest);
    expect(again.event).toBeUndefined();
    expect(events).toHaveLength(1);
    const rebuilt = await ecr.push('demo/web', 'v2', { content: 'a rebuild' });
    expect(rebuilt.imageDigest).not.toBe(first.imageDigest);
    expect(rebuilt.event).toBeDefined();
  });

  it('moves a tag to the newest image, leaving the old one untagged', async () => {
    const old = await ecr.push('demo/web', 'latest', { content: 'build 1' });
    const current = await ecr.push('demo/web', 'latest', { content: 'build 2' });
    const { imageDetails } = await call<{ imageDetails: ImageDetail[] }>(ecr, 'DescribeImages', {
      repositoryName: 'demo/web',
    });
    expect(imageDetails.find((d) => d.imageDigest === current.imageDigest)?.imageTags).toEqual(['latest']);
    expect(imageDetails.find((d) => d.imageDigest === old.imageDigest)?.imageTags).toBeUndefined();
    const untagged = await call<{ imageDetails: ImageDetail[] }>(ecr, 'DescribeImages', {
      repositoryName: 'demo/web',
      filter: { tagStatus: 'UNTAGGED' },
    });
    expect(untagged.imageDetails.map((d) => d.imageDigest)).toEqual([old.imageDigest]);
  });

  it('stores a PutImage manifest under its sha256 and refuses the same push twice', async () => {
    const manifest = inventManifest('demo/web', 'v7');
    const put = await call<{ image: { imageId: { imageDigest: string } } }>(ecr, 'PutImage', {
      repositoryName: 'demo/web',
      imageManifest: manifest,
      imageTag: 'v7',
    });
    expect(put.image.imageId.imageDigest).toBe(digestOf(manifest));
    await delivered();
    expect(events.map((e) => e.detail['image-tag'])).toEqual(['v7']);
    await expect(
      ecr.handle('PutImage', { repositoryName: 'demo/web', imageManifest: manifest, imageTag: 'v7' }),
    ).rejects.toMatchObject({
      code: 'ImageAlreadyExistsException',
    });
    await expect(
      ecr.handle('PutImage', {
        repositoryName: 'demo/web',
        imageManifest: manifest,
        imageTag: 'v8',
        imageDigest: `sha256:${'1'.repeat(64)}`,
      }),
    ).rejects.toMatchObject({ code: 'ImageDigestDoesNotMatchException' });
  });
});

describe('reading images', () => {
  it('describes an image by tag or by digest, and names a missing one', async () => {
    const pushed = await ecr.push('demo/web', 'v2');
    const byTag = await call<{ imageDetails: ImageDetail[] }>(ecr, 'DescribeImages', {
      repositoryName: 'demo/web',
      imageIds: [{ imageTag: 'v2' }],
    });
    const byDigest = await call<{ imageDetails: ImageDetail[] }>(ecr, 'DescribeImages', {
      repositoryName: 'demo/web',
      imageIds: [{ imageDigest: pushed.imageDigest }],
    });
    expect(byTag.imageDetails).toEqual(byDigest.imageDetails);
    expect(byTag.imageDetails[0]).toMatchObject({
      registryId: '000000000000',
      repositoryName: 'demo/web',
      imageDigest: pushed.imageDigest,
      imageTags: ['v2'],
      imageManifestMediaType: DOCKER_MANIFEST_V2,
    });
    expect(byTag.imageDetails[0]?.imageSizeInBytes).toBeGreaterThan(0);
    expect(byTag.imageDetails[0]?.imagePushedAt).toBeInstanceOf(Date);
    await expect(
      ecr.handle('DescribeImages', { repositoryName: 'demo/web', imageIds: [{ imageTag: 'v9' }] }),
    ).rejects.toMatchObject({
      code: 'ImageNotFoundException',
      message:
        "The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'demo/web' in the registry with id '000000000000'",
    });
  });

  it('returns manifests from BatchGetImage and failures for what is missing', async () => {
    const pushed = await ecr.push('demo/web', 'v2');
    const result = await call<{ images: { imageManifest: string }[]; failures: { failureCode: string }[] }>(
      ecr,
      'BatchGetImage',
      {
        repositoryName: 'demo/web',
        imageIds: [{ imageTag: 'v2' }, { imageTag: 'v9' }],
      },
    );
    expect(digestOf(result.images[0]?.imageManifest ?? '')).toBe(pushed.imageDigest);
    expect(result.failures).toEqual([
      expect.objectContaining({ failureCode: 'ImageNotFound', imageId: { imageTag: 'v9' } }),
    ]);
  });

  it('resolves the references a task definition can hold', async () => {
    const pushed = await ecr.push('demo/web', 'v2-slow');
    await ecr.push('demo/web', 'latest', { content: 'demo/web:v2-slow' }); // the same build, another tag
    const registry = ecr.registry;
    expect(registry.resolve(pushed.imageUri)).toEqual({
      repositoryName: 'demo/web',
      digest: pushed.imageDigest,
      tag: 'v2-slow',
      uri: pushed.imageUri,
    });
    expect(registry.resolve(`${registry.registryHost}/demo/web:latest`)?.tag).toBe('latest');
    expect(registry.resolve(`${registry.registryHost}/demo/web`)?.digest).toBe(pushed.imageDigest);
    expect(registry.resolve('demo/web:v2-slow')?.digest).toBe(pushed.imageDigest);
    expect(registry.resolve('nginx:latest')).toBeUndefined();
    expect(registry.resolve(`${registry.registryHost}/demo/web:v404`)).toBeUndefined();
  });
});
