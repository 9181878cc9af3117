import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { EcrImageActionEvent } from './push-event.ts';
import type { EcrRegistry } from './registry.ts';

/** What ECR's operations act on: the registry, and the push events they send. */
export interface EcrModel {
  registry: EcrRegistry;
  /** Sends the push event ECR would (not awaited) and returns it. */
  emit(repositoryName: string, digest: string, tag: string | undefined): EcrImageActionEvent;
}

/** Refuses a registryId other than the caller's registry, as ECR refuses another account's without a repository policy. */
export function checkRegistry(ecr: EcrModel, reader: InputReader): void {
  const registryId = reader.optionalString('registryId');
  if (registryId !== undefined && registryId !== ecr.registry.registryId) {
    throw new AwsApiError(
      'RepositoryNotFoundException',
      `The caller's registry is '${ecr.registry.registryId}'; registry '${registryId}' does not exist or is not shared with it.`,
    );
  }
}
