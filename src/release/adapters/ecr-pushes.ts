import { type ECRClient, paginateDescribeImages } from '@aws-sdk/client-ecr';
import { awsCall } from '../../platform/aws-errors.ts';
import type { TargetAccess } from '../../platform/target-access.ts';
import type { PushedImage, PushedImages } from '../ports/pushed-images.ts';

// DescribeImages filters by tag status only, never by push time, and promises
// no order: every page is read and the window applied here. A page holds up
// to 1,000 images, so a repository of a few thousand images costs a few calls a run.
const PAGE_SIZE = 1000;

/**
 * The pushed-images port over an AWS SDK v3 ECR client (created once per cold start by the caller),
 * each registry read with the client `clientFor` gives for its region and role (without it, `client`).
 */
export function createEcrPushes(client: ECRClient, clientFor?: (registry: TargetAccess) => ECRClient): PushedImages {
  return {
    async pushedSince(registry, repository, since) {
      const images: PushedImage[] = [];
      const pages = paginateDescribeImages(
        { client: clientFor?.(registry) ?? client, pageSize: PAGE_SIZE },
        { registryId: registry.account, repositoryName: repository, filter: { tagStatus: 'TAGGED' } },
      );
      const iterator = pages[Symbol.asyncIterator]();
      for (;;) {
        const page = await awsCall('DescribeImages', () => iterator.next()).catch((error: unknown) => {
          // A repository not created yet (or deleted) holds no pushes; the others are still read.
          if (error instanceof Error && error.name === 'RepositoryNotFoundException') return { done: true as const };
          throw error;
        });
        if (page.done) break;
        for (const detail of page.value.imageDetails ?? []) {
          const { imageDigest, imagePushedAt, imageTags } = detail;
          if (!imageDigest || !imagePushedAt || imagePushedAt < since) continue;
          images.push({
            repository,
            digest: imageDigest,
            tags: imageTags ?? [],
            pushedAt: imagePushedAt.toISOString(),
          });
        }
      }
      return images;
    },
  };
}
