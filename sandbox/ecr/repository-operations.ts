import type { CreateRepositoryResponse, DescribeRepositoriesResponse } from '@aws-sdk/client-ecr';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { readTags } from '../aws/tags.ts';
import type { EcrModel } from './model.ts';
import { repositoryView } from './views.ts';
import { ECR_INVALID_TOKEN } from './wire.ts';

/** CreateRepository: MUTABLE or IMMUTABLE tags, scan on push, tags. */
export function createRepository(ecr: EcrModel, reader: InputReader): CreateRepositoryResponse {
  const mutability = reader.optionalString('imageTagMutability') ?? 'MUTABLE';
  if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
    reader.fail(`imageTagMutability '${mutability}' is not supported by the sandbox (MUTABLE | IMMUTABLE).`);
  }
  const repository = ecr.registry.createRepository(reader.string('repositoryName'), {
    imageTagMutability: mutability,
    scanOnPush: reader.optionalObject('imageScanningConfiguration')?.optionalBoolean('scanOnPush') ?? false,
    tags: readTags(reader),
  });
  return { repository: repositoryView(ecr.registry, repository) };
}

/** DescribeRepositories: the named ones (each must exist) or all, paged. */
export function describeRepositories(ecr: EcrModel, reader: InputReader): DescribeRepositoriesResponse {
  const names = reader.optionalStringArray('repositoryNames');
  const repositories = names ? names.map((name) => ecr.registry.repository(name)) : ecr.registry.repositories();
  const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
  const { items, nextToken } = page(repositories, reader.optionalString('nextToken'), maxResults, ECR_INVALID_TOKEN);
  return { repositories: items.map((r) => repositoryView(ecr.registry, r)), ...(nextToken ? { nextToken } : {}) };
}
