import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { awsCall } from '../../platform/aws-errors.ts';
import { ImageNotFoundError, TargetAccessError } from '../../platform/errors.ts';
import type { SessionName, TargetAccess } from '../../platform/target-access.ts';
import type { RegistryImage, RegistryPort } from '../ports/registry.ts';

const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;
/**
 * ECR's AccessDeniedException for another account's registry (no repository policy lets the
 * automation read it, nor the role named for it) as TargetAccessError, naming the registry; else undefined.
 */
export function deniedRead(error: unknown, registry: TargetAccess | undefined, repository: string) {
  if (!isNamed(error, 'AccessDeniedException')) return undefined;
  const as = registry?.roleArn === undefined ? '' : ` as ${registry.roleArn}`;
  const reason = error instanceof Error ? error.message : String(error);
  return new TargetAccessError(
    `${registryName(registry)} does not let the automation read ${repository}${as}: ${reason}`,
    {
      cause: error,
    },
  );
}

/** `registry 333333333333/us-east-1`, or `the registry` for the automation's own. */
export const registryName = (registry: TargetAccess | undefined) =>
  registry === undefined ? 'the registry' : `registry ${registry.account}/${registry.region}`;

/** An ECR client for a registry (its region and role) in session `who`: TargetClients' ECR clients. */
export type EcrClients = (registry: TargetAccess, who: SessionName) => ECRClient;

/**
 * The registry port over an AWS SDK v3 ECR client (created once per cold start
 * by the caller): the automation's own registry; `at` reads another's, passing
 * its account as `registryId`, with the client `clients` gives for it (without
 * `clients`, `client` is used for every registry). A repository's URI never
 * changes, so it is looked up once per registry and repository for the life of
 * the adapter; failures are not remembered.
 */
export function createEcrRegistry(client: ECRClient, clients?: EcrClients): RegistryPort {
  return registryPort({ client, clients, uris: new Map() });
}

interface RegistryReader {
  client: ECRClient;
  clients: EcrClients | undefined;
  uris: Map<string, string>;
  /** Absent for the automation's own registry. */
  registry?: TargetAccess;
}

function registryPort(reader: RegistryReader): RegistryPort {
  const { client, registry, uris } = reader;
  const registryId = registry === undefined ? {} : { registryId: registry.account };
  const where = registryName(registry);
  return {
    at: (registry, who) => registryPort({ ...reader, client: reader.clients?.(registry, who) ?? client, registry }),

    async repositoryUri(repository) {
      const key = `${registry?.account ?? ''}/${registry?.region ?? ''}/${repository}`;
      const known = uris.get(key);
      if (known) return known;
      const output = await awsCall('DescribeRepositories', async () => {
        try {
          return await client.send(new DescribeRepositoriesCommand({ ...registryId, repositoryNames: [repository] }));
        } catch (error) {
          if (isNamed(error, 'RepositoryNotFoundException')) {
            throw new ImageNotFoundError(`repository ${repository} does not exist in ${where}`, { cause: error });
          }
          throw deniedRead(error, registry, repository) ?? error;
        }
      });
      const uri = output.repositories?.find((found) => found.repositoryName === repository)?.repositoryUri;
      if (!uri) throw new ImageNotFoundError(`repository ${repository} does not exist in ${where}`);
      uris.set(key, uri);
      return uri;
    },

    findImage: (repository, digest) => describeImage(reader, repository, { imageDigest: digest }),
    findTaggedImage: (repository, tag) => describeImage(reader, repository, { imageTag: tag }),
  };
}

/** DescribeImages of one image, by digest or tag; undefined when the repository does not hold it. */
async function describeImage(
  { client, registry }: RegistryReader,
  repository: string,
  imageId: { imageDigest: string } | { imageTag: string },
): Promise<RegistryImage | undefined> {
  const registryId = registry === undefined ? {} : { registryId: registry.account };
  const output = await awsCall('DescribeImages', async () => {
    try {
      return await client.send(
        new DescribeImagesCommand({ ...registryId, repositoryName: repository, imageIds: [imageId] }),
      );
    } catch (error) {
      if (isNamed(error, 'ImageNotFoundException')) return undefined;
      if (isNamed(error, 'RepositoryNotFoundException')) {
        throw new ImageNotFoundError(`repository ${repository} does not exist in ${registryName(registry)}`, {
          cause: error,
        });
      }
      throw deniedRead(error, registry, repository) ?? error;
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
