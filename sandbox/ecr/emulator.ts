import type {
  BatchGetImageResponse,
  CreateRepositoryResponse,
  DescribeImagesResponse,
  DescribeRepositoriesResponse,
  ImageDetail,
  ImageFailure,
  ImageIdentifier,
  ListImagesResponse,
  PutImageResponse,
  Repository,
} from '@aws-sdk/client-ecr';
import { AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import type { AwsLocation } from '../ecs/arn.ts';
import { InputReader, readTags } from '../ecs/input.ts';
import { page } from '../ecs/paging.ts';
import { DOCKER_MANIFEST_V2, digestOf, inventManifest } from './manifest.ts';
import { type EcrImageActionEvent, imagePushEvent } from './push-event.ts';
import type { EcrRegistry, StoredImage, StoredRepository } from './registry.ts';

// The ECR API over the registry (JSON 1.1, X-Amz-Target
// AmazonEC2ContainerRegistry_V20150921.<Operation>): CreateRepository,
// DescribeRepositories, DescribeImages, ListImages, BatchGetImage, PutImage.
// A successful PutImage, or the programmatic push() the CLI uses, is a "push":
// it stores the image, moves the tag and hands onPush the EventBridge event
// ECR would send.

const ERRORS = { invalid: 'InvalidParameterException', missing: 'InvalidParameterException' };

/** What push() did. */
export interface PushResult {
  repositoryName: string;
  imageTag: string;
  imageDigest: string;
  /** `registryHost/repository@digest`: what a task definition pins. */
  imageUri: string;
  /** The event sent to onPush; absent when the tag already named this image (nothing was pushed). */
  event?: EcrImageActionEvent;
}

export interface EcrEmulatorOptions {
  location: AwsLocation;
  registry: EcrRegistry;
  /** Called once per push that changed the registry; not awaited (EventBridge delivers asynchronously). */
  onPush?: (event: EcrImageActionEvent) => void | Promise<void>;
  /** Where a failing onPush is reported. */
  onError?: (error: unknown) => void;
}

export class EcrEmulator implements AwsServiceEmulator {
  readonly targetPrefix = 'AmazonEC2ContainerRegistry_V20150921';
  readonly signingName = 'ecr';
  readonly registry: EcrRegistry;
  readonly #location: AwsLocation;
  readonly #onPush: EcrEmulatorOptions['onPush'];
  readonly #onError: (error: unknown) => void;

  constructor(options: EcrEmulatorOptions) {
    this.registry = options.registry;
    this.#location = options.location;
    this.#onPush = options.onPush;
    this.#onError = options.onError ?? ((error) => console.error('ecr: onPush failed:', error));
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const reader = new InputReader(input, ERRORS);
    switch (operation) {
      case 'CreateRepository':
        return this.#createRepository(reader);
      case 'DescribeRepositories':
        return this.#describeRepositories(reader);
      case 'DescribeImages':
        return this.#describeImages(reader);
      case 'ListImages':
        return this.#listImages(reader);
      case 'BatchGetImage':
        return this.#batchGetImage(reader);
      case 'PutImage':
        return this.#putImage(reader);
      default:
        throw new AwsApiError('UnknownOperationException', `The sandbox's ECR does not support ${operation}.`);
    }
  }

  /**
   * Pushes `repository:tag` as `docker push` would: an invented manifest (the
   * same `content` gives the same digest; default: one build per tag), the tag
   * moved to it, and the push event. Pushing what the tag already names changes
   * nothing and sends no event.
   */
  async push(repository: string, tag: string, options: { content?: string } = {}): Promise<PushResult> {
    const manifest = inventManifest(repository, tag, options.content);
    const { image, changed } = this.registry.putImage(repository, { manifest, mediaType: DOCKER_MANIFEST_V2, tag });
    const uri = `${this.registry.repository(repository).uri}@${image.digest}`;
    const result: PushResult = { repositoryName: repository, imageTag: tag, imageDigest: image.digest, imageUri: uri };
    if (changed) result.event = this.#emit(repository, image.digest, tag);
    return result;
  }

  #emit(repositoryName: string, digest: string, tag: string | undefined): EcrImageActionEvent {
    const event = imagePushEvent(this.#location, { repositoryName, digest, ...(tag === undefined ? {} : { tag }) });
    const onPush = this.#onPush;
    if (onPush) {
      Promise.resolve()
        .then(() => onPush(event))
        .catch(this.#onError);
    }
    return event;
  }

  #repositoryView(repository: StoredRepository): Repository {
    return {
      repositoryArn: repository.arn,
      registryId: this.registry.registryId,
      repositoryName: repository.name,
      repositoryUri: repository.uri,
      createdAt: repository.createdAt,
      imageTagMutability: repository.imageTagMutability,
      imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
      encryptionConfiguration: { encryptionType: 'AES256' },
    };
  }

  #imageDetail(repository: StoredRepository, image: StoredImage): ImageDetail {
    return {
      registryId: this.registry.registryId,
      repositoryName: repository.name,
      imageDigest: image.digest,
      ...(image.tags.length > 0 ? { imageTags: [...image.tags] } : {}),
      imageSizeInBytes: image.sizeInBytes,
      imagePushedAt: image.pushedAt,
      imageManifestMediaType: image.mediaType,
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    };
  }

  #checkRegistry(reader: InputReader): void {
    const registryId = reader.optionalString('registryId');
    if (registryId !== undefined && registryId !== this.registry.registryId) {
      throw new AwsApiError(
        'RepositoryNotFoundException',
        `The sandbox has one registry, '${this.registry.registryId}'; registry '${registryId}' does not exist.`,
      );
    }
  }

  #createRepository(reader: InputReader): CreateRepositoryResponse {
    this.#checkRegistry(reader);
    const mutability = reader.optionalString('imageTagMutability') ?? 'MUTABLE';
    if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
      reader.fail(`imageTagMutability '${mutability}' is not supported by the sandbox (MUTABLE | IMMUTABLE).`);
    }
    const repository = this.registry.createRepository(reader.string('repositoryName'), {
      imageTagMutability: mutability,
      scanOnPush: reader.optionalObject('imageScanningConfiguration')?.optionalBoolean('scanOnPush') ?? false,
      tags: readTags(reader),
    });
    return { repository: this.#repositoryView(repository) };
  }

  #describeRepositories(reader: InputReader): DescribeRepositoriesResponse {
    this.#checkRegistry(reader);
    const names = reader.optionalStringArray('repositoryNames');
    const repositories = names ? names.map((name) => this.registry.repository(name)) : this.registry.repositories();
    const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
    const { items, nextToken } = page(repositories, reader.optionalString('nextToken'), maxResults);
    return { repositories: items.map((r) => this.#repositoryView(r)), ...(nextToken ? { nextToken } : {}) };
  }

  #imageIds(reader: InputReader): ImageIdentifier[] {
    return reader.objects('imageIds').map((id) => {
      const imageDigest = id.optionalString('imageDigest');
      const imageTag = id.optionalString('imageTag');
      return { ...(imageDigest ? { imageDigest } : {}), ...(imageTag ? { imageTag } : {}) };
    });
  }

  #notFound(repository: StoredRepository, id: ImageIdentifier): AwsApiError {
    return new AwsApiError(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${this.registry.registryId}'`,
    );
  }

  #describeImages(reader: InputReader): DescribeImagesResponse {
    this.#checkRegistry(reader);
    const repository = this.registry.repository(reader.string('repositoryName'));
    const ids = this.#imageIds(reader);
    if (ids.length > 0) {
      const details = ids.map((id) => {
        const image = this.registry.findImage(repository, id);
        if (!image) throw this.#notFound(repository, id);
        return this.#imageDetail(repository, image);
      });
      return { imageDetails: details };
    }
    const tagStatus = reader.optionalObject('filter')?.optionalString('tagStatus') ?? 'ANY';
    const images = [...repository.images.values()]
      .filter((image) => tagStatus === 'ANY' || (tagStatus === 'TAGGED') === image.tags.length > 0)
      .sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime());
    const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
    const { items, nextToken } = page(images, reader.optionalString('nextToken'), maxResults);
    return {
      imageDetails: items.map((image) => this.#imageDetail(repository, image)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  #listImages(reader: InputReader): ListImagesResponse {
    this.#checkRegistry(reader);
    const repository = this.registry.repository(reader.string('repositoryName'));
    const ids = [...repository.images.values()].flatMap((image) =>
      image.tags.length === 0
        ? [{ imageDigest: image.digest }]
        : image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })),
    );
    const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
    const { items, nextToken } = page(ids, reader.optionalString('nextToken'), maxResults);
    return { imageIds: items, ...(nextToken ? { nextToken } : {}) };
  }

  #batchGetImage(reader: InputReader): BatchGetImageResponse {
    this.#checkRegistry(reader);
    const repository = this.registry.repository(reader.string('repositoryName'));
    const ids = this.#imageIds(reader);
    if (ids.length === 0) reader.fail('imageIds is required and can not be empty.');
    const images: NonNullable<BatchGetImageResponse['images']> = [];
    const failures: ImageFailure[] = [];
    for (const id of ids) {
      const image = id.imageDigest || id.imageTag ? this.registry.findImage(repository, id) : undefined;
      if (!image) {
        failures.push({
          imageId: id,
          failureCode: id.imageDigest || id.imageTag ? 'ImageNotFound' : 'MissingDigestAndTag',
          failureReason:
            id.imageDigest || id.imageTag
              ? 'Requested image not found'
              : 'Invalid request parameters: both tag and digest cannot be null',
        });
        continue;
      }
      images.push({
        registryId: this.registry.registryId,
        repositoryName: repository.name,
        imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
        imageManifest: image.manifest,
        imageManifestMediaType: image.mediaType,
      });
    }
    return { images, failures };
  }

  #putImage(reader: InputReader): PutImageResponse {
    this.#checkRegistry(reader);
    const repositoryName = reader.string('repositoryName');
    const manifest = reader.string('imageManifest');
    const tag = reader.optionalString('imageTag');
    const digest = reader.optionalString('imageDigest');
    const { image, changed } = this.registry.putImage(repositoryName, {
      manifest,
      mediaType: reader.optionalString('imageManifestMediaType') ?? DOCKER_MANIFEST_V2,
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
    });
    if (!changed) {
      throw new AwsApiError(
        'ImageAlreadyExistsException',
        `Image with digest '${digestOf(manifest)}'${tag === undefined ? '' : ` and tag '${tag}'`} already exists in the repository with name '${repositoryName}' in registry with id '${this.registry.registryId}'`,
      );
    }
    this.#emit(repositoryName, image.digest, tag);
    return {
      image: {
        registryId: this.registry.registryId,
        repositoryName,
        imageId: { imageDigest: image.digest, ...(tag === undefined ? {} : { imageTag: tag }) },
        imageManifest: image.manifest,
        imageManifestMediaType: image.mediaType,
      },
    };
  }
}
