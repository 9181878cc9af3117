import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { page } from '../aws/paging.ts';
import type { IamRoles, Role } from './roles.ts';
import { checkText, IAM_WIRE } from './wire.ts';

// IAM's role operations (Query protocol, signing name `iam`) over the
// sandbox's roles, in the caller's account: enough for roles to exist and be
// trusted by STS's AssumeRole. IAM is global: the request's region is ignored.

/** Role as IAM returns it; the trust policy URL-encoded, as IAM sends policy documents. */
const roleView = (role: Role) => ({
  Path: role.path,
  RoleName: role.roleName,
  RoleId: role.roleId,
  Arn: role.arn,
  CreateDate: role.createDate,
  AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
  ...(role.description === undefined ? {} : { Description: role.description }),
  MaxSessionDuration: role.maxSessionDuration,
});

const INVALID_MARKER = { code: 'ValidationError', message: 'Invalid Marker.' };

/** The IAM operations the sandbox implements (sandbox/iam/README.md lists them). */
export const IAM_OPERATIONS: OperationTable<IamRoles> = {
  CreateRole: (roles, reader, { caller }) => {
    const description = reader.optionalString('Description');
    const path = reader.optionalString('Path');
    const maxSessionDuration = reader.optionalNumber('MaxSessionDuration');
    const role = roles.create(caller.accountId, {
      roleName: reader.string('RoleName'),
      assumeRolePolicyDocument: reader.string('AssumeRolePolicyDocument'),
      ...(path === undefined ? {} : { path }),
      ...(description === undefined ? {} : { description }),
      ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
    });
    return { Role: roleView(role) };
  },
  GetRole: (roles, reader, { caller }) => ({ Role: roleView(roles.get(caller.accountId, reader.string('RoleName'))) }),
  DeleteRole: (roles, reader, { caller }) => {
    roles.delete(caller.accountId, reader.string('RoleName'));
    return {};
  },
  ListRoles: (roles, reader, { caller }) => {
    const pathPrefix = reader.optionalString('PathPrefix') ?? '/';
    checkText('pathPrefix', pathPrefix, 1, 512);
    const maxItems = reader.optionalInteger('MaxItems', 1, 1000) ?? 100;
    const { items, nextToken } = page(
      roles.list(caller.accountId, pathPrefix),
      reader.optionalString('Marker'),
      maxItems,
      INVALID_MARKER,
    );
    return {
      Roles: items.map(roleView),
      IsTruncated: nextToken !== undefined,
      ...(nextToken ? { Marker: nextToken } : {}),
    };
  },
};

/** The IAM API over the sandbox's roles; calls without a context act in `home`'s account. */
export class IamEmulator extends TableEmulator<IamRoles> {
  readonly roles: IamRoles;

  constructor(roles: IamRoles, home?: AwsLocation) {
    super(IAM_WIRE, IAM_OPERATIONS, roles, home);
    this.roles = roles;
  }
}
