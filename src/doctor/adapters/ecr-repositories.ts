import { DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { RepositoriesPort } from '../ports.ts';

/**
 * ECR's DescribeRepositories, one repository at a time, in `registryId`'s registry (default: the
 * caller's); a missing one is undefined.
 */
export function createEcrRepositories(client: ECRClient, registryId?: string): RepositoriesPort {
  return {
    async describe(repository) {
      try {
        const { repositories } = await client.send(
          new DescribeRepositoriesCommand({ repositoryNames: [repository], ...(registryId ? { registryId } : {}) }),
        );
        const found = repositories?.[0];
        return found && { scanOnPush: found.imageScanningConfiguration?.scanOnPush === true };
      } catch (error) {
        if ((error as Error).name === 'RepositoryNotFoundException') return undefined;
        throw error;
      }
    },
  };
}
