import type { Operation, OperationTable } from '../aws/operation-table.ts';
import { AwsApiError } from '../aws/service.ts';
import type { EcrImageActionEvent } from './push-event.ts';
import type { EcrRegistry } from './registry.ts';

/** What ECR's operations act on: the registry, and the push events they send. */
export interface EcrModel {
  registry: EcrRegistry;
  /** Sends the push event ECR would (not awaited) and returns it. */
  emit(repositoryName: string, digest: string, tag: string | undefined): EcrImageActionEvent;
}

/**
 * The operations, each refusing a `registryId` other than the caller's registry as ECR refuses a
 * principal another account's repository policy does not allow (the sandbox has no repository
 * policies): AccessDeniedException, in AWS's words. A caller reads another account's registry as a
 * role of that account (STS AssumeRole), as the catalog's `registry.roleArn` does.
 */
export function ownRegistryOnly(operations: OperationTable<EcrModel>): OperationTable<EcrModel> {
  return Object.fromEntries(
    Object.entries(operations).map(([action, operation]): [string, Operation<EcrModel>] => [
      action,
      (ecr, reader, context) => {
        const registryId = reader.optionalString('registryId');
        if (registryId !== undefined && registryId !== ecr.registry.registryId) {
          const repository = reader.optionalString('repositoryName') ?? '*';
          const resource = `arn:aws:ecr:${context.location.region}:${registryId}:repository/${repository}`;
          throw new AwsApiError(
            'AccessDeniedException',
            `User: ${context.caller.arn} is not authorized to perform: ecr:${action} on resource: ${resource} because no resource-based policy allows the ecr:${action} action`,
          );
        }
        return operation(ecr, reader, context);
      },
    ]),
  );
}
