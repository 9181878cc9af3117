import type { ImageDetail, ImageIdentifier, Repository } from '@aws-sdk/client-ecr';
import { AwsApiError } from '../aws/service.ts';
import type { EcrRegistry, StoredImage, StoredRepository } from './registry.ts';

/** A repository as ECR's API shows it. */
export function repositoryView(registry: EcrRegistry, repository: StoredRepository): Repository {
  return {
    repositoryArn: repository.arn,
    registryId: registry.registryId,
    repositoryName: repository.name,
    repositoryUri: repository.uri,
    createdAt: repository.createdAt,
    imageTagMutability: repository.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

/** An image as DescribeImages shows it. */
export function imageDetail(registry: EcrRegistry, repository: StoredRepository, image: StoredImage): ImageDetail {
  return {
    registryId: registry.registryId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: image.mediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
  };
}

/** ECR's ImageNotFoundException for an image id, worded as ECR words it. */
export function imageNotFound(registry: EcrRegistry, repository: StoredRepository, id: ImageIdentifier): AwsApiError {
  return new AwsApiError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${registry.registryId}'`,
  );
}
