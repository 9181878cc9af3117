import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { awsCall } from '../../platform/aws-errors.ts';
import { ImageNotFoundError } from '../../platform/errors.ts';
import type { RegistryImage, RegistryPort } from '../ports/registry.ts';

const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;

/**
 * The registry port over an AWS SDK v3 ECR client (created once per cold start
 * by the caller). A repository's URI never changes, so it is looked up once per
 * repository for the life of the adapter; failures are not remembered.
 */
export function createEcrRegistry(client: ECRClient): RegistryPort {
  const uris = new Map<string, string>();
  return {
    async repositoryUri(repository) {
      const known = uris.get(repository);
      if (known) return known;
      const output = await awsCall('DescribeRepositories', async () => {
        try {
          return await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
        } catch (error) {
          if (isNamed(error, 'RepositoryNotFoundException')) {
            throw new ImageNotFoundError(`repository ${repository} does not exist in the registry`, { cause: error });
          }
          throw error;
        }
      });
      const uri = output.repositories?.find((found) => found.repositoryName === repository)?.repositoryUri;
      if (!uri) throw new ImageNotFoundError(`repository ${repository} does not exist in the registry`);
      uris.set(repository, uri);
      return uri;
    },

    findImage: (repository, digest) => describeImage(client, repository, { imageDigest: digest }),
    findTaggedImage: (repository, tag) => describeImage(client, repository, { imageTag: tag }),
  };
}

/** DescribeImages of one image, by digest or tag; undefined when the repository does not hold it. */
async function describeImage(
  client: ECRClient,
  repository: string,
  imageId: { imageDigest: string } | { imageTag: string },
): Promise<RegistryImage | undefined> {
  const output = await awsCall('DescribeImages', async () => {
    try {
      return await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [imageId] }));
    } catch (error) {
      if (isNamed(error, 'ImageNotFoundException')) return undefined;
      if (isNamed(error, 'RepositoryNotFoundException')) {
        throw new ImageNotFoundError(`repository ${repository} does not exist in the registry`, { cause: error });
      }
      throw error;
    }
  });
  const detail = output?.imageDetails?.find((found) =>
    'imageDigest' in imageId ? found.imageDigest === imageId.imageDigest : found.imageTags?.includes(imageId.imageTag),
  );
  if (!detail?.imageDigest) return undefined;
  const name = 'imageDigest' in imageId ? `${repository}@${imageId.imageDigest}` : `${repository}:${imageId.imageTag}`;
  // ECR always answers with it; without it pushes could not be ordered.
  if (!detail.imagePushedAt) throw new ImageNotFoundError(`ECR did not say when ${name} was pushed`);
  return { digest: detail.imageDigest, pushedAt: detail.imagePushedAt.toISOString() };
}
