import type { IamRoles, Role } from './roles.ts';

// Roles the sandbox creates when it starts (the catalog's, catalog-roles.ts,
// and a test's), with the trust policy a cross-account release role has: the
// principals that may assume it and, optionally, the external id they must give.

/** A role to create at start. */
export interface RoleSpec {
  accountId: string;
  roleName: string;
  /**
   * Who may assume it: account ids (`"AWS": "111111111111"`: any principal of
   * that account), account roots or role ARNs.
   */
  trustedPrincipals: string[];
  /** The `sts:ExternalId` callers must pass. */
  externalId?: string;
  /** Seconds, 3600–43200; default 3600. */
  maxSessionDuration?: number;
  path?: string;
}

/** The trust policy of a RoleSpec, as a user would write it. */
export function trustPolicy(spec: Pick<RoleSpec, 'trustedPrincipals' | 'externalId'>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: spec.trustedPrincipals },
        Action: 'sts:AssumeRole',
        ...(spec.externalId === undefined
          ? {}
          : { Condition: { StringEquals: { 'sts:ExternalId': spec.externalId } } }),
      },
    ],
  });
}

/** Creates each role (one that exists already is left as it is). */
export function seedRoles(roles: IamRoles, specs: readonly RoleSpec[]): Role[] {
  return specs.map(
    (spec) =>
      roles.find(spec.accountId, spec.roleName) ??
      roles.create(spec.accountId, {
        roleName: spec.roleName,
        assumeRolePolicyDocument: trustPolicy(spec),
        ...(spec.maxSessionDuration === undefined ? {} : { maxSessionDuration: spec.maxSessionDuration }),
        ...(spec.path === undefined ? {} : { path: spec.path }),
      }),
  );
}
