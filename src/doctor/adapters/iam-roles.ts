import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { RolesPort } from '../ports.ts';

/** IAM's GetRole, by the name at the end of the role's ARN: a missing role is false. */
export function createIamRoles(client: IAMClient): RolesPort {
  return {
    async roleExists(roleArn) {
      try {
        await client.send(new GetRoleCommand({ RoleName: roleArn.slice(roleArn.lastIndexOf('/') + 1) }));
        return true;
      } catch (error) {
        if (error instanceof Error && (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException')) {
          return false;
        }
        throw error;
      }
    },
  };
}
