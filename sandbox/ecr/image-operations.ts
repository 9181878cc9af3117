import type {
  BatchGetImageResponse,
  DescribeImagesResponse,
  ImageFailure,
  ImageIdentifier,
  ListImagesResponse,
  PutImageResponse,
} from '@aws-sdk/client-ecr';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import { DOCKER_MANIFEST_V2, digestOf } from './manifest.ts';
import type { EcrModel } from './model.ts';
import { imageDetail, imageNotFound } from './views.ts';
import { ECR_INVALID_TOKEN } from './wire.ts';

function imageIds(reader: InputReader): ImageIdentifier[] {
  return reader.objects('imageIds').map((id) => {
    const imageDigest = id.optionalString('imageDigest');
    const imageTag = id.optionalString('imageTag');
    return { ...(imageDigest ? { imageDigest } : {}), ...(imageTag ? { imageTag } : {}) };
  });
}

/** DescribeImages: the given image ids (each must exist), or every image newest first, filtered by tag status, paged. */
export function describeImages(ecr: EcrModel, reader: InputReader): DescribeImagesResponse {
  const { registry } = ecr;
  const repository = registry.repository(reader.string('repositoryName'));
  const ids = imageIds(reader);
  if (ids.length > 0) {
    const details = ids.map((id) => {
      const image = registry.findImage(repository, id);
      if (!image) throw imageNotFound(registry, repository, id);
      return imageDetail(registry, repository, image);
    });
    return { imageDetails: details };
  }
  const tagStatus = reader.optionalObject('filter')?.optionalString('tagStatus') ?? 'ANY';
  const images = [...repository.images.values()]
    .filter((image) => tagStatus === 'ANY' || (tagStatus === 'TAGGED') === image.tags.length > 0)
    .sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime());
  const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
  const { items, nextToken } = page(images, reader.optionalString('nextToken'), maxResults, ECR_INVALID_TOKEN);
  return {
    imageDetails: items.map((image) => imageDetail(registry, repository, image)),
    ...(nextToken ? { nextToken } : {}),
  };
}

/** ListImages: one id per tag (untagged images by digest alone), paged. */
export function listImages(ecr: EcrModel, reader: InputReader): ListImagesResponse {
  const repository = ecr.registry.repository(reader.string('repositoryName'));
  const ids = [...repository.images.values()].flatMap((image) =>
    image.tags.length === 0
      ? [{ imageDigest: image.digest }]
      : image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })),
  );
  const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
  const { items, nextToken } = page(ids, reader.optionalString('nextToken'), maxResults, ECR_INVALID_TOKEN);
  return { imageIds: items, ...(nextToken ? { nextToken } : {}) };
}

/** BatchGetImage: the manifests of the ids found, a failure for each one not. */
export function batchGetImage(ecr: EcrModel, reader: InputReader): BatchGetImageResponse {
  const { registry } = ecr;
  const repository = registry.repository(reader.string('repositoryName'));
  const ids = imageIds(reader);
  if (ids.length === 0) reader.fail('imageIds is required and can not be empty.');
  const images: NonNullable<BatchGetImageResponse['images']> = [];
  const failures: ImageFailure[] = [];
  for (const id of ids) {
    const image = id.imageDigest || id.imageTag ? registry.findImage(repository, id) : undefined;
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
      registryId: registry.registryId,
      repositoryName: repository.name,
      imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
      imageManifest: image.manifest,
      imageManifestMediaType: image.mediaType,
    });
  }
  return { images, failures };
}

/** PutImage: a push (stores the manifest, moves the tag, sends the push event); the same image again is refused. */
export function putImage(ecr: EcrModel, reader: InputReader): PutImageResponse {
  const { registry } = ecr;
  const repositoryName = reader.string('repositoryName');
  const manifest = reader.string('imageManifest');
  const tag = reader.optionalString('imageTag');
  const digest = reader.optionalString('imageDigest');
  const { image, changed } = registry.putImage(repositoryName, {
    manifest,
    mediaType: reader.optionalString('imageManifestMediaType') ?? DOCKER_MANIFEST_V2,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  });
  if (!changed) {
    throw new AwsApiError(
      'ImageAlreadyExistsException',
      `Image with digest '${digestOf(manifest)}'${tag === undefined ? '' : ` and tag '${tag}'`} already exists in the repository with name '${repositoryName}' in registry with id '${registry.registryId}'`,
    );
  }
  ecr.emit(repositoryName, image.digest, tag);
  return {
    image: {
      registryId: registry.registryId,
      repositoryName,
      imageId: { imageDigest: image.digest, ...(tag === undefined ? {} : { imageTag: tag }) },
      imageManifest: image.manifest,
      imageManifestMediaType: image.mediaType,
    },
  };
}
